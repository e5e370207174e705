package io.forwardloop.bench.signals;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.flink.RunningSignalJob;
import io.forwardloop.flink.SignalJobConfig;
import io.forwardloop.flink.SignalJobRunner;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterKind;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.Redaction;
import io.forwardloop.schemas.avro.StepKind;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import io.forwardloop.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lag from a feedback record to its first signal as a {@code read_committed} consumer (the
 * trainer) sees it: the embedded platform, the signal job on a local MiniCluster with mini-batches
 * of one, one feedback at a time, under a given delivery guarantee. Under exactly-once a signal
 * becomes visible when the checkpoint that commits its transaction completes, so the lag includes
 * up to one checkpoint interval.
 */
final class LagMeasurement {
    private static final Logger LOG = LoggerFactory.getLogger(LagMeasurement.class);
    private static final String ADAPTER = "bench";

    /** The checkpoint interval of the measured job. */
    static final long CHECKPOINT_INTERVAL_MS = 1_000L;

    private final Path dataDir;
    private final int samples;
    private final String deliveryGuarantee;

    /**
     * @param deliveryGuarantee {@code exactly-once} or {@code at-least-once}, the job's {@value
     *     SignalJobConfig#DELIVERY_GUARANTEE}
     */
    LagMeasurement(Path dataDir, int samples, String deliveryGuarantee) {
        this.dataDir = dataDir;
        this.samples = samples;
        this.deliveryGuarantee = deliveryGuarantee;
    }

    /** Returns {p50, p99} in milliseconds. */
    double[] run(AdapterParameters params, float[][] activations) throws Exception {
        Path platformDir =
                Files.createTempDirectory(
                        dataDir.getParent() == null ? Path.of(".") : dataDir.getParent(),
                        "bench-signals");
        try (EmbeddedPlatform platform =
                        EmbeddedPlatform.builder().dataDir(platformDir).build().start();
                Producers producers = new Producers(platform)) {
            producers.steps.send(
                    new ProducerRecord<>(Topics.ADAPTER_STEPS.name(), ADAPTER, snapshot(params)));
            producers.steps.flush();
            return measure(platform, producers, params, activations);
        }
    }

    private double[] measure(
            EmbeddedPlatform platform,
            Producers producers,
            AdapterParameters params,
            float[][] activations)
            throws Exception {
        try (RunningSignalJob job = SignalJobRunner.start(config(platform));
                KafkaConsumer<String, ZeroOrderSignal> consumer = consumer(platform)) {
            double[] lags = new double[samples];
            for (int i = 0; i < samples + 3; i++) {
                double lag =
                        once(producers, consumer, params, activations[i % activations.length], i);
                if (i >= 3) {
                    lags[i - 3] = lag;
                }
            }
            Arrays.sort(lags);
            LOG.info(
                    "Measured {} feedback lags on signal job {} ({})",
                    samples,
                    job.jobId(),
                    deliveryGuarantee);
            return new double[] {percentile(lags, 0.5), percentile(lags, 0.99)};
        }
    }

    private double once(
            Producers producers,
            KafkaConsumer<String, ZeroOrderSignal> consumer,
            AdapterParameters params,
            float[] activation,
            int i) {
        String id = "bench-" + i;
        producers.records.send(
                new ProducerRecord<>(
                        Topics.INFERENCE_RECORDS.name(), id, record(id, params, activation)));
        producers.records.flush();
        long start = System.nanoTime();
        producers.feedback.send(new ProducerRecord<>(Topics.FEEDBACK.name(), id, feedback(id)));
        producers.feedback.flush();
        while (consumer.poll(Duration.ofMillis(5)).isEmpty()) {
            if (System.nanoTime() - start > 60_000_000_000L) {
                throw new IllegalStateException("no signal for request " + id + " within 60 s");
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    private SignalJobConfig config(EmbeddedPlatform platform) {
        Map<String, Object> values = new HashMap<>();
        values.put(ClusterConnection.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        values.put(ClusterConnection.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
        values.put(SignalJobConfig.BATCH_SIZE, 1);
        values.put(SignalJobConfig.SEEDS_PER_BATCH, 1);
        values.put(SignalJobConfig.REPLAY_BATCHES, 0);
        values.put(SignalJobConfig.PARALLEL_SHARDS, 1);
        values.put(SignalJobConfig.HOLDOUT_SHARE, 0.0);
        values.put(SignalJobConfig.PARALLELISM, 1);
        values.put(SignalJobConfig.CHECKPOINT_INTERVAL_MS, CHECKPOINT_INTERVAL_MS);
        values.put(SignalJobConfig.DELIVERY_GUARANTEE, deliveryGuarantee);
        return SignalJobConfig.from(values);
    }

    /** One producer per input topic, opened once so that no measured send pays for startup. */
    private static final class Producers implements AutoCloseable {
        final KafkaProducer<String, AdapterStep> steps;
        final KafkaProducer<String, InferenceRecord> records;
        final KafkaProducer<String, Feedback> feedback;

        Producers(EmbeddedPlatform platform) {
            steps = producer(platform, Topics.ADAPTER_STEPS);
            records = producer(platform, Topics.INFERENCE_RECORDS);
            feedback = producer(platform, Topics.FEEDBACK);
        }

        private static <T extends SpecificRecordBase> KafkaProducer<String, T> producer(
                EmbeddedPlatform platform, Topic<String, T> topic) {
            AvroSerde<T> serde = topic.valueSerde(platform.connection().serdeConfig());
            return new KafkaProducer<>(
                    platform.connection().kafkaProperties(),
                    new StringSerializer(),
                    serde.serializer());
        }

        @Override
        public void close() {
            steps.close();
            records.close();
            feedback.close();
        }
    }

    private static KafkaConsumer<String, ZeroOrderSignal> consumer(EmbeddedPlatform platform) {
        Map<String, Object> props = new HashMap<>(platform.connection().kafkaProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-signals");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroSerde<ZeroOrderSignal> serde =
                Topics.ZO_SIGNALS.valueSerde(platform.connection().serdeConfig());
        KafkaConsumer<String, ZeroOrderSignal> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer());
        consumer.subscribe(List.of(Topics.ZO_SIGNALS.name()));
        return consumer;
    }

    private static AdapterStep snapshot(AdapterParameters params) {
        return AdapterStep.newBuilder()
                .setAdapterName(ADAPTER)
                .setVersion(1L)
                .setBaseVersion(0L)
                .setKind(StepKind.SNAPSHOT)
                .setLearningRate(0.0)
                .setSignalIds(List.of())
                .setSnapshot(ByteBuffer.wrap(params.toBytes()))
                .setTimestampMs(Instant.now())
                .build();
    }

    private static InferenceRecord record(String id, AdapterParameters params, float[] activation) {
        List<Float> values = new ArrayList<>();
        for (float v : activation) {
            values.add(v);
        }
        List<String> labels = params.spec().labels();
        return InferenceRecord.newBuilder()
                .setRequestId(id)
                .setAdapterName(ADAPTER)
                .setAdapterVersion(1L)
                .setAdapterKind(AdapterKind.LOW_RANK_CLASSIFIER)
                .setEncoderId("bge-small-en-v1.5-q")
                .setBoundary("pooled")
                .setTimestampMs(Instant.now())
                .setActivation(values)
                .setPredictedLabel(labels.get(0))
                .setLabels(labels)
                .setScores(List.of(0.5f, 0.5f))
                .setTextSha256("0".repeat(64))
                .setRedaction(Redaction.HASH_ONLY)
                .build();
    }

    private static Feedback feedback(String id) {
        return Feedback.newBuilder()
                .setFeedbackId("f-" + id)
                .setRequestId(id)
                .setKind(FeedbackKind.ACCEPT)
                .setTimestampMs(Instant.now())
                .setSource("bench")
                .build();
    }
}
