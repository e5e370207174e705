package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
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
import org.slf4j.LoggerFactory;

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

        assertThat(registry.published).hasSizeGreaterThan(1);
        AdapterPublisher.Candidate base = registry.published.get(0);
        AdapterPublisher.Candidate first = registry.published.get(1);
        assertThat(base.evaluation()).isNull();
        assertThat(base.stepTo()).isZero();
        assertThat(first.parentVersion()).isEqualTo(1L);
        assertThat(first.stepFrom()).isEqualTo(1);
        assertThat(first.evaluation().examples()).isGreaterThanOrEqualTo(20);
        assertThat(first.evaluation().perLabel()).containsKeys("negative", "positive");
        assertThat(first.hyperparameters()).containsEntry(TrainerConfig.METHOD, "ff");
        assertThat(registry.serving(adapter, "serving")).isPresent();
        assertThat(stepLog(adapter).stream().filter(s -> s.getKind() == StepKind.FORWARD_FORWARD))
                .isNotEmpty();
    }

    private static final AdapterSpec LOW_RANK =
            AdapterSpec.lowRankClassifier(DIM, 1, LABELS).build();

    private static Map<String, Object> evaluating(String adapter) {
        Map<String, Object> settings = config(adapter, "zo");
        settings.put(TrainerConfig.EVALUATE_INTERVAL_STEPS, 10L);
        settings.put(TrainerConfig.EVALUATE_INTERVAL_MS, 1L);
        settings.put(TrainerConfig.PUBLISH_INTERVAL_MS, 0L);
        settings.put(TrainerConfig.HOLDOUT_MIN_EXAMPLES, 20);
        return settings;
    }

    private static void produceHoldout(String adapter, int count) {
        LabeledBatch data = Synthetic.blobs(count, DIM, 2, 0.5, 3);
        List<LabeledExample> holdout = new ArrayList<>();
        for (int n = 0; n < data.size(); n++) {
            holdout.add(holdout(adapter, n, data.activations()[n], LABELS.get(data.labels()[n])));
        }
        produce(Topics.HOLDOUT, adapter, holdout);
    }

    private static void produceSignals(String adapter, int from, int to) {
        List<ZeroOrderSignal> records = new ArrayList<>();
        for (int n = from; n < to; n++) {
            records.add(record(adapter, signal(n, 0)));
        }
        produce(Topics.ZO_SIGNALS, adapter, records);
    }

    private static void runUntilPublished(
            TrainerService service, InMemoryPublisher registry, long stepTo) {
        for (int round = 0; round < 300; round++) {
            List<AdapterPublisher.Candidate> published = registry.published;
            if (!published.isEmpty() && published.get(published.size() - 1).stepTo() == stepTo) {
                return;
            }
            service.runOnce();
        }
    }

    @Test
    void shouldSkipAndCountRepeatedSignalIdsAlsoAfterARestart() {
        String adapter = "repeats";
        List<ZeroOrderSignal> records = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            records.add(record(adapter, signal(n, 0)));
            if (n < 10) {
                records.add(record(adapter, signal(n, 0)));
            }
        }
        produce(Topics.ZO_SIGNALS, adapter, records);
        TrainerConfig trainerConfig = new TrainerConfig(config(adapter, "zo"));

        try (TrainerService first =
                new TrainerService(trainerConfig, new InMemoryPublisher()).start()) {
            for (int round = 0; round < 100 && first.stats().signalsIn() < 30; round++) {
                first.runOnce();
            }
            assertThat(first.stats().applied()).isEqualTo(20);
            assertThat(first.stats().duplicates()).isEqualTo(10);
            assertThat(first.version()).isEqualTo(20);
        }
        List<ZeroOrderSignal> later = new ArrayList<>();
        for (int n = 10; n < 15; n++) {
            later.add(record(adapter, signal(n, 0)));
            later.add(record(adapter, signal(n + 10, 0)));
        }
        produce(Topics.ZO_SIGNALS, adapter, later);
        ZerothOrderTrainer once =
                new ZerothOrderTrainer(
                        AdapterParameters.initialize(LOW_RANK, 42),
                        0,
                        trainerConfig.zerothOrderSettings());
        for (int n = 0; n < 25; n++) {
            once.apply(signal(n, 0));
        }

        try (TrainerService second =
                new TrainerService(trainerConfig, new InMemoryPublisher()).start()) {
            for (int round = 0; round < 100 && second.stats().signalsIn() < 10; round++) {
                second.runOnce();
            }
            assertThat(second.stats().applied()).isEqualTo(5);
            assertThat(second.stats().duplicates()).isEqualTo(5);
            assertThat(second.version()).isEqualTo(25);
            assertThat(second.parameters().digest()).isEqualTo(once.parameters().digest());
        }
    }

    @Test
    void shouldSkipARepeatedForwardForwardPairAndThePositiveWaitingAlready() {
        String adapter = "ff-repeats";
        LabeledBatch data = Synthetic.blobs(11, DIM, 2, 0.5, 5);
        List<ForwardForwardExample> examples = new ArrayList<>();
        for (int n = 0; n < 11; n++) {
            String label = LABELS.get(data.labels()[n]);
            if (n == 10) {
                examples.add(example(adapter, 2, data.activations()[2], label(data, 2), true));
                examples.add(
                        example(adapter, 2, data.activations()[2], other(label(data, 2)), false));
                examples.add(example(adapter, 3, data.activations()[3], label(data, 3), true));
            }
            examples.add(example(adapter, n, data.activations()[n], label, true));
            examples.add(example(adapter, n, data.activations()[n], other(label), false));
            if (n == 10) {
                examples.add(example(adapter, 10, data.activations()[10], label, true));
            }
        }
        produce(Topics.FF_EXAMPLES, adapter, examples);

        try (TrainerService service =
                new TrainerService(
                                new TrainerConfig(config(adapter, "ff")), new InMemoryPublisher())
                        .start()) {
            for (int round = 0;
                    round < 100 && service.stats().signalsIn() < examples.size();
                    round++) {
                service.runOnce();
            }

            assertThat(service.stats().applied()).isEqualTo(11);
            assertThat(service.stats().duplicates()).isEqualTo(4);
            assertThat(service.stats().unpaired()).isZero();
        }
    }

    private static String label(LabeledBatch data, int n) {
        return LABELS.get(data.labels()[n]);
    }

    @Test
    void shouldStartAnEmptyLogFromTheServedVersionAndNameItAsTheFirstParent() {
        String adapter = "seeded";
        InMemoryPublisher registry = new InMemoryPublisher();
        AdapterParameters trained = AdapterParameters.initialize(LOW_RANK, 7);
        long seed = registry.publishOffline(adapter, trained, "bge-small-q");
        registry.promote(adapter, "serving", seed);
        produceHoldout(adapter, 40);
        produceSignals(adapter, 0, 20);

        try (TrainerService service =
                new TrainerService(new TrainerConfig(evaluating(adapter)), registry).start()) {
            assertThat(service.version()).isZero();
            assertThat(service.parameters().digest()).isEqualTo(trained.digest());
            assertThat(service.lastPublished()).isEqualTo(seed);
            runUntilPublished(service, registry, 20);
            long adapterBytes = 4L * LOW_RANK.parameterCount();
            long holdoutBytes = 40L * DIM * Float.BYTES;
            assertThat(service.holdoutWindow().size()).isEqualTo(40);
            assertThat(service.retainedBytesEstimate())
                    .isGreaterThan(adapterBytes + holdoutBytes + 20 * 96)
                    .isLessThan(
                            adapterBytes + service.holdoutWindow().maxRetainedBytes() + 20 * 200);
        }

        AdapterStep first = stepLog(adapter).get(0);
        AdapterPublisher.Candidate candidate = registry.published.get(1);
        assertThat(first.getKind()).isEqualTo(StepKind.SNAPSHOT);
        assertThat(first.getParametersSha256()).isEqualTo(trained.digest());
        assertThat(candidate.parentVersion()).isEqualTo(seed);
        assertThat(candidate.stepFrom()).isEqualTo(1);
        assertThat(candidate.evaluation()).isNotNull();
    }

    @Test
    void shouldRefuseToStartFromAServedVersionOfAnotherLabelSet() {
        String adapter = "mismatch";
        InMemoryPublisher registry = new InMemoryPublisher();
        AdapterSpec other = AdapterSpec.lowRankClassifier(DIM, 1, List.of("neg", "pos")).build();
        long served =
                registry.publishOffline(
                        adapter, AdapterParameters.initialize(other, 1), "bge-small-q");
        registry.promote(adapter, "serving", served);

        try (TrainerService service =
                new TrainerService(new TrainerConfig(config(adapter, "zo")), registry)) {
            assertThatThrownBy(service::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("labels [neg, pos]")
                    .hasMessageContaining("labels [negative, positive], input dim 8")
                    .hasMessageContaining(TrainerConfig.LABELS);
        }
        assertThat(stepLog(adapter)).isEmpty();
    }

    @Test
    void shouldPublishAndPromoteTheUntrainedBaseWithAWarningWhenNothingServes() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(TrainerService.class);
        logger.addAppender(logs);
        InMemoryPublisher registry = new InMemoryPublisher();
        InMemoryPublisher untouched = new InMemoryPublisher();
        Map<String, Object> off = config("no-bootstrap", "zo");
        off.put(TrainerConfig.BOOTSTRAP_PROMOTE, false);

        try (TrainerService service =
                        new TrainerService(new TrainerConfig(config("bootstrap", "zo")), registry)
                                .start();
                TrainerService without =
                        new TrainerService(new TrainerConfig(off), untouched).start()) {
            assertThat(service.lastPublished()).isEqualTo(1L);
            assertThat(without.lastPublished()).isNull();
        } finally {
            logger.detachAppender(logs);
        }

        AdapterPublisher.Candidate base = registry.published.get(0);
        assertThat(registry.published).hasSize(1);
        assertThat(base.parameters().digest())
                .isEqualTo(AdapterParameters.initialize(LOW_RANK, 42).digest());
        assertThat(base.evaluation()).isNull();
        assertThat(base.stepTo()).isZero();
        assertThat(registry.serving("bootstrap", "serving")).contains(1L);
        assertThat(untouched.published).isEmpty();
        assertThat(logs.list)
                .filteredOn(e -> e.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(
                        m ->
                                assertThat(m)
                                        .contains("untrained")
                                        .contains("forwardloop train --input FILE --method zo")
                                        .contains("--adapter bootstrap --promote serving"));
    }

    @Test
    void shouldContinueTheLineageOfTheLastPublishedVersionAfterARestart() {
        String adapter = "lineage";
        InMemoryPublisher registry = new InMemoryPublisher();
        produceHoldout(adapter, 40);
        produceSignals(adapter, 0, 20);
        TrainerConfig trainerConfig = new TrainerConfig(evaluating(adapter));

        try (TrainerService first = new TrainerService(trainerConfig, registry).start()) {
            runUntilPublished(first, registry, 20);
        }
        long lastBeforeRestart = registry.published.size();
        produceSignals(adapter, 20, 40);

        try (TrainerService second = new TrainerService(trainerConfig, registry).start()) {
            assertThat(second.lastPublished()).isEqualTo(lastBeforeRestart);
            runUntilPublished(second, registry, 40);
        }

        AdapterPublisher.Candidate before = registry.published.get((int) lastBeforeRestart - 1);
        AdapterPublisher.Candidate after = registry.published.get((int) lastBeforeRestart);
        assertThat(before.stepTo()).isEqualTo(20);
        assertThat(after.parentVersion()).isEqualTo(lastBeforeRestart);
        assertThat(after.stepFrom()).isEqualTo(21);
        assertThat(registry.published.get(registry.published.size() - 1).stepTo()).isEqualTo(40);
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
