package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterKind;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.ExampleReason;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.ForwardForwardExample;
import io.forwardloop.schemas.avro.LabeledExample;
import io.forwardloop.schemas.avro.StepKind;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import io.forwardloop.schemas.serde.AvroSerde;
import io.forwardloop.trainer.internal.StepLog;
import io.forwardloop.trainer.internal.TrainerClients;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerServiceIT {
    private static final int DIM = 8;
    private static final List<String> LABELS = List.of("negative", "positive");

    @TempDir static Path dataDir;
    static EmbeddedPlatform platform;

    @BeforeAll
    static void startPlatform() {
        platform = EmbeddedPlatform.builder().dataDir(dataDir).build().start();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    private static Map<String, Object> config(String adapter, String method) {
        Map<String, Object> config = new HashMap<>();
        config.put(ClusterConnection.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        config.put(ClusterConnection.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
        config.put(TrainerConfig.ADAPTER_NAME, adapter);
        config.put(TrainerConfig.METHOD, method);
        config.put(TrainerConfig.INPUT_DIM, DIM);
        config.put(TrainerConfig.HIDDEN_SIZES, "8");
        config.put(TrainerConfig.LEARNING_RATE, 0.05);
        config.put(TrainerConfig.MAX_STALENESS, 1_000_000L);
        config.put(TrainerConfig.MAX_POLL_RECORDS, 10);
        config.put(TrainerConfig.SNAPSHOT_INTERVAL_STEPS, 25L);
        config.put(TrainerConfig.POLL_TIMEOUT_MS, 500L);
        return config;
    }

    private static ZerothOrderSignal signal(int n, long baseVersion) {
        double plus = 0.7 + 0.01 * Math.sin(n);
        // epsilon travels as a float in the signal record
        return new ZerothOrderSignal("sig-" + n, baseVersion, 1000L + n, 1e-3f, plus, plus - 1e-4);
    }

    private static ZeroOrderSignal record(String adapter, ZerothOrderSignal signal) {
        return ZeroOrderSignal.newBuilder()
                .setSignalId(signal.id())
                .setAdapterName(adapter)
                .setBaseVersion(signal.baseVersion())
                .setSeed(signal.seed())
                .setEpsilon((float) signal.epsilon())
                .setLossPlus(signal.lossPlus())
                .setLossMinus(signal.lossMinus())
                .setBatchSize(32)
                .setBatchDigest("00")
                .setCreatedMs(Instant.ofEpochMilli(0))
                .setProducer("test")
                .build();
    }

    private static <V extends SpecificRecord> void produce(
            Topic<String, V> topic, String key, List<V> values) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        try (AvroSerde<V> serde =
                        topic.valueSerde(
                                Map.of("schema.registry.url", platform.schemaRegistryUrl()));
                KafkaProducer<String, V> producer =
                        new KafkaProducer<>(props, new StringSerializer(), serde.serializer())) {
            for (V value : values) {
                producer.send(new ProducerRecord<>(topic.name(), key, value));
            }
        }
    }

    private static List<AdapterStep> stepLog(String adapter) {
        TrainerConfig config = new TrainerConfig(config(adapter, "zo"));
        List<AdapterStep> steps = new ArrayList<>();
        try (KafkaConsumer<String, AdapterStep> reader = TrainerClients.stepReader(config)) {
            StepLog.readAll(reader, Topics.ADAPTER_STEPS.name(), adapter, steps::add);
        }
        return steps;
    }

    private static void runUntilApplied(TrainerService service, long applied) {
        for (int round = 0; round < 200 && service.stats().applied() < applied; round++) {
            service.runOnce();
        }
    }

    @Test
    void shouldApplyEverySignalExactlyOnceAcrossACrashBeforeCommit() {
        String adapter = "crash";
        List<ZerothOrderSignal> signals = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            signals.add(signal(n, 0));
        }
        produce(Topics.ZO_SIGNALS, adapter, signals.stream().map(s -> record(adapter, s)).toList());
        TrainerConfig trainerConfig = new TrainerConfig(config(adapter, "zo"));

        TrainerService first = new TrainerService(trainerConfig, new InMemoryPublisher()).start();
        runUntilApplied(first, 20);
        first.runOnceWithoutCommit();
        long reachedBeforeCrash = first.version();
        first.close();

        TrainerService second = new TrainerService(trainerConfig, new InMemoryPublisher()).start();
        long rebuiltAt = second.version();
        runUntilApplied(second, 60 - rebuiltAt);
        second.close();

        AdapterSpec spec = AdapterSpec.lowRankClassifier(DIM, 1, LABELS).build();
        ZerothOrderTrainer uninterrupted =
                new ZerothOrderTrainer(
                        AdapterParameters.initialize(spec, 42),
                        0,
                        trainerConfig.zerothOrderSettings());
        signals.forEach(uninterrupted::apply);
        List<AdapterStep> log = stepLog(adapter);
        List<AdapterStep> zeroth =
                log.stream().filter(s -> s.getKind() == StepKind.ZEROTH_ORDER).toList();

        assertThat(reachedBeforeCrash).isGreaterThan(rebuiltAt);
        assertThat(rebuiltAt).isEqualTo(20);
        assertThat(second.parameters().digest()).isEqualTo(uninterrupted.parameters().digest());
        assertThat(zeroth).hasSize(60);
        assertThat(zeroth.stream().map(AdapterStep::getVersion).toList())
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 60).boxed().toList());
        assertThat(zeroth.stream().flatMap(s -> s.getSignalIds().stream()).distinct()).hasSize(60);
        assertThat(log.get(0).getKind()).isEqualTo(StepKind.SNAPSHOT);
        assertThat(log.stream().filter(s -> s.getKind() == StepKind.SNAPSHOT))
                .hasSizeGreaterThan(1);
        assertThat(zeroth.get(59).getParametersSha256())
                .isEqualTo(uninterrupted.parameters().digest());
    }

    @Test
    void shouldDropAndCountStaleSignals() {
        String adapter = "stale";
        List<ZeroOrderSignal> records = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            records.add(record(adapter, signal(n, 0)));
        }
        produce(Topics.ZO_SIGNALS, adapter, records);
        Map<String, Object> settings = config(adapter, "zo");
        settings.put(TrainerConfig.MAX_STALENESS, 2L);

        try (TrainerService service =
                new TrainerService(new TrainerConfig(settings), new InMemoryPublisher()).start()) {
            for (int round = 0; round < 50 && service.stats().signalsIn() < 10; round++) {
                service.runOnce();
            }

            assertThat(service.stats().applied()).isEqualTo(3);
            assertThat(service.stats().droppedStale()).isEqualTo(7);
            assertThat(service.version()).isEqualTo(3);
        }
    }

    @Test
    void shouldTrainForwardForwardRebuildItAndPublishEvaluatedCandidates() {
        String adapter = "ff";
        LabeledBatch data = Synthetic.blobs(120, DIM, 2, 0.5, 11);
        List<ForwardForwardExample> examples = new ArrayList<>();
        List<LabeledExample> holdout = new ArrayList<>();
        for (int n = 0; n < data.size(); n++) {
            String label = LABELS.get(data.labels()[n]);
            examples.add(example(adapter, n, data.activations()[n], label, true));
            if (n % 3 == 0) {
                examples.add(example(adapter, n, data.activations()[n], other(label), false));
            }
            holdout.add(holdout(adapter, n, data.activations()[n], label));
        }
        produce(Topics.HOLDOUT, adapter, holdout);
        produce(Topics.FF_EXAMPLES, adapter, examples);
        Map<String, Object> settings = config(adapter, "ff");
        settings.put(TrainerConfig.EVALUATE_INTERVAL_STEPS, 40L);
        settings.put(TrainerConfig.PUBLISH_INTERVAL_MS, 0L);
        settings.put(TrainerConfig.HOLDOUT_MIN_EXAMPLES, 20);
        InMemoryPublisher registry = new InMemoryPublisher();

        String digest;
        try (TrainerService service =
                new TrainerService(new TrainerConfig(settings), registry).start()) {
            for (int round = 0;
                    round < 200 && service.stats().signalsIn() < examples.size();
                    round++) {
                service.runOnce();
            }
            digest = service.parameters().digest();
            assertThat(service.stats().applied()).isBetween(119L, 120L);
            assertThat(service.holdoutWindow().size()).isEqualTo(120);
        }
        try (TrainerService rebuilt =
                new TrainerService(new TrainerConfig(settings), new InMemoryPublisher()).start()) {
            assertThat(rebuilt.parameters().digest()).isEqualTo(digest);
        }

        assertThat(registry.published).isNotEmpty();
        AdapterPublisher.Candidate first = registry.published.get(0);
        assertThat(first.evaluation().examples()).isGreaterThanOrEqualTo(20);
        assertThat(first.evaluation().perLabel()).containsKeys("negative", "positive");
        assertThat(first.hyperparameters()).containsEntry(TrainerConfig.METHOD, "ff");
        assertThat(registry.serving(adapter, "serving")).isPresent();
        assertThat(stepLog(adapter).stream().filter(s -> s.getKind() == StepKind.FORWARD_FORWARD))
                .isNotEmpty();
    }

    private static String other(String label) {
        return label.equals("positive") ? "negative" : "positive";
    }

    private static List<Float> boxed(float[] activation) {
        List<Float> out = new ArrayList<>();
        for (float value : activation) {
            out.add(value);
        }
        return out;
    }

    private static ForwardForwardExample example(
            String adapter, int n, float[] activation, String label, boolean positive) {
        return ForwardForwardExample.newBuilder()
                .setRequestId("req-" + n)
                .setAdapterName(adapter)
                .setEncoderId("test")
                .setBoundary("pooled")
                .setActivation(boxed(activation))
                .setLabel(label)
                .setPositive(positive)
                .setReason(positive ? ExampleReason.TRUE_LABEL : ExampleReason.RANDOM_NEGATIVE)
                .setCreatedMs(Instant.ofEpochMilli(0))
                .build();
    }

    private static LabeledExample holdout(String adapter, int n, float[] activation, String label) {
        return LabeledExample.newBuilder()
                .setRequestId("hold-" + n)
                .setAdapterName(adapter)
                .setAdapterKind(AdapterKind.FORWARD_FORWARD)
                .setEncoderId("test")
                .setBoundary("pooled")
                .setActivation(boxed(activation))
                .setLabel(label)
                .setPredictedLabel(label)
                .setLabels(LABELS)
                .setFeedbackKind(FeedbackKind.LABEL)
                .setInferenceTimestampMs(Instant.ofEpochMilli(0))
                .setFeedbackTimestampMs(Instant.ofEpochMilli(0))
                .build();
    }
}
