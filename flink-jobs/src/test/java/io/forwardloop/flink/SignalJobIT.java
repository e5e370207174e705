package io.forwardloop.flink;

import static io.forwardloop.flink.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.LabeledExample;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import io.forwardloop.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signal job on the embedded platform: a failure injected after a checkpoint changes nothing a
 * read_committed consumer sees, which equals what the bounded job computes over the same data as
 * files.
 */
class SignalJobIT {
    private static final int REQUESTS = 64;

    @TempDir static Path dir;
    private static EmbeddedPlatform platform;

    @BeforeAll
    static void startPlatform() {
        platform = EmbeddedPlatform.builder().dataDir(dir.resolve("platform")).build().start();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void shouldDeliverEachSignalExactlyOnceAcrossAFailureAndAgreeWithTheBoundedJob()
            throws Exception {
        List<InferenceRecord> records = new ArrayList<>();
        List<Feedback> feedback = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            records.add(Fixtures.record("req-" + i, T0 + i));
            feedback.add(
                    Fixtures.feedback(
                            "f-" + i,
                            "req-" + i,
                            i % 3 == 0 ? FeedbackKind.REJECT : FeedbackKind.ACCEPT,
                            null,
                            T0 + i + 10));
        }
        AdapterStep snapshot = Fixtures.snapshot(Fixtures.base(), 1);

        // the bounded job over files gives the expected signals
        Path out = dir.resolve("replay-out");
        HistoricalFiles files =
                HistoricalFiles.builder()
                        .inferenceRecords(jsonl(dir.resolve("records.jsonl"), records))
                        .feedback(avro(dir.resolve("feedback.avro"), feedback, Feedback.class))
                        .adapterSteps(
                                avro(
                                        dir.resolve("steps.avro"),
                                        List.of(snapshot),
                                        AdapterStep.class))
                        .outputDirectory(out)
                        .build();
        Map<String, Long> counts = SignalJobRunner.replay(config("replay"), files);
        List<String> expected = signalIds(read(out.resolve("zo-signals"), ZeroOrderSignal.class));
        assertThat(counts.get("joined")).isEqualTo(REQUESTS);
        assertThat(expected).isNotEmpty().doesNotHaveDuplicates();

        // the streaming job fails once after its first checkpoint and restarts from it
        send(Topics.ADAPTER_STEPS, List.of(snapshot), s -> s.getAdapterName());
        send(Topics.INFERENCE_RECORDS, records.subList(0, REQUESTS / 2), r -> r.getRequestId());
        send(Topics.FEEDBACK, feedback.subList(0, REQUESTS / 2), f -> f.getRequestId());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        SignalJob.build(env, config("live"), stream -> stream.map(new FailOnceAfterCheckpoint()));
        RunningSignalJob job = runAsync(env);
        List<ZeroOrderSignal> seen = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> FailOnceAfterCheckpoint.checkpoints.get() > 0);
            send(
                    Topics.INFERENCE_RECORDS,
                    records.subList(REQUESTS / 2, REQUESTS),
                    r -> r.getRequestId());
            send(Topics.FEEDBACK, feedback.subList(REQUESTS / 2, REQUESTS), f -> f.getRequestId());

            try (KafkaConsumer<String, ZeroOrderSignal> consumer = consumer(Topics.ZO_SIGNALS)) {
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> poll(consumer, seen) >= expected.size());
                Thread.sleep(1_500);
                poll(consumer, seen);
            }
            assertThat(FailOnceAfterCheckpoint.failed).isTrue();
            // exactly once: every expected signal, none lost, none repeated
            assertThat(signalIds(seen)).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(seen).allMatch(s -> s.getBaseVersion() == 1L);
        } finally {
            job.close();
        }
    }

    private static RunningSignalJob runAsync(StreamExecutionEnvironment env) throws Exception {
        return new RunningSignalJob(env.executeAsync("signal-it"), Duration.ofSeconds(5));
    }

    private static SignalJobConfig config(String name) {
        Map<String, Object> values = new HashMap<>(platform.connection().clientProperties());
        values.put(
                io.forwardloop.platform.ClusterConnection.BOOTSTRAP_SERVERS,
                platform.bootstrapServers());
        values.put(
                io.forwardloop.platform.ClusterConnection.SCHEMA_REGISTRY_URL,
                platform.schemaRegistryUrl());
        values.put(SignalJobConfig.BATCH_SIZE, 4);
        values.put(SignalJobConfig.SEEDS_PER_BATCH, 2);
        values.put(SignalJobConfig.PARALLEL_SHARDS, 3);
        values.put(SignalJobConfig.HOLDOUT_SHARE, 0.1);
        values.put(SignalJobConfig.FEEDBACK_WAIT_MS, 3_600_000L);
        values.put(SignalJobConfig.CHECKPOINT_INTERVAL_MS, 300L);
        values.put(SignalJobConfig.PARALLELISM, 1);
        values.put(SignalJobConfig.RESTART_DELAY_MS, 200L);
        values.put(SignalJobConfig.SOURCE_IDLE_TIMEOUT_MS, 500L);
        values.put(SignalJobConfig.TRANSACTIONAL_ID_PREFIX, "signal-it-" + name);
        values.put(SignalJobConfig.GROUP_ID, "signal-it-" + name);
        return SignalJobConfig.from(values);
    }

    /** Fails the job once, on the first example after the first completed checkpoint. */
    static final class FailOnceAfterCheckpoint
            implements MapFunction<LabeledExample, LabeledExample>, CheckpointListener {
        static final AtomicInteger checkpoints = new AtomicInteger();
        static volatile boolean failed;
        private static final AtomicBoolean armed = new AtomicBoolean(true);

        @Override
        public LabeledExample map(LabeledExample example) {
            if (checkpoints.get() > 0 && armed.getAndSet(false)) {
                failed = true;
                throw new IllegalStateException("failure injected after a checkpoint");
            }
            return example;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpoints.incrementAndGet();
        }
    }

    private static <T extends SpecificRecordBase> void send(
            Topic<String, T> topic, List<T> values, java.util.function.Function<T, String> key) {
        Map<String, Object> props = platform.connection().kafkaProperties();
        try (AvroSerde<T> serde = topic.valueSerde(platform.connection().serdeConfig());
                KafkaProducer<String, T> producer =
                        new KafkaProducer<>(props, new StringSerializer(), serde.serializer())) {
            for (T value : values) {
                producer.send(new ProducerRecord<>(topic.name(), 0, key.apply(value), value));
            }
        }
    }

    private static <T extends SpecificRecordBase> KafkaConsumer<String, T> consumer(
            Topic<String, T> topic) {
        Map<String, Object> props = new HashMap<>(platform.connection().kafkaProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "signal-it-check");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroSerde<T> serde = topic.valueSerde(platform.connection().serdeConfig());
        KafkaConsumer<String, T> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }

    private static <T> int poll(KafkaConsumer<String, T> consumer, List<T> into) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> into.add(r.value()));
        return into.size();
    }

    private static List<String> signalIds(List<ZeroOrderSignal> signals) {
        return signals.stream().map(ZeroOrderSignal::getSignalId).toList();
    }

    private static Path jsonl(Path file, List<? extends SpecificRecordBase> values)
            throws IOException {
        Files.write(file, values.stream().map(JsonRecords::write).toList());
        return file;
    }

    private static <T extends SpecificRecordBase> Path avro(
            Path file, List<T> values, Class<T> type) throws IOException {
        try (DataFileWriter<T> writer = new DataFileWriter<>(new SpecificDatumWriter<>(type))) {
            writer.create(values.get(0).getSchema(), file.toFile());
            for (T value : values) {
                writer.append(value);
            }
        }
        return file;
    }

    private static <T extends SpecificRecordBase> List<T> read(Path directory, Class<T> type)
            throws IOException {
        List<T> values = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file :
                    files.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .toList()) {
                for (String line : Files.readAllLines(file)) {
                    values.add(JsonRecords.parse(line, type));
                }
            }
        }
        return values;
    }
}
