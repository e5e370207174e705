package io.forwardloop.flink;

import static io.forwardloop.flink.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.forwardloop.flink.internal.JobTypes;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.ForwardForwardExample;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.LabeledExample;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import io.forwardloop.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signal job on the embedded platform, failed after it wrote output past its last completed
 * checkpoint (in the manner of Flink's {@code KafkaSinkITCase}).
 *
 * <p>The failure is injected between the signal operator and its sink, chained to the sink: after a
 * checkpoint completed, once {@link #UNCOMMITTED} signals have gone to the sink since that
 * checkpoint's barrier, it waits until a {@code read_uncommitted} consumer sees one of them in the
 * topic, then throws. With exactly-once sinks a {@code read_committed} consumer then sees, on every
 * topic the job writes, exactly what the bounded job computes over the same input as files; with
 * at-least-once sinks the same scenario repeats what had been written, which proves the first test
 * can fail.
 */
class SignalJobIT {
    private static final int REQUESTS = 96;
    private static final long WAIT = 3_600_000L;
    private static final int UNCOMMITTED = 6;

    @TempDir Path dir;
    private static EmbeddedPlatform platform;

    @BeforeEach
    void startPlatform() {
        platform = EmbeddedPlatform.builder().dataDir(dir.resolve("platform")).build().start();
        FailAfterUncommittedOutput.reset();
    }

    @AfterEach
    void stopPlatform() {
        platform.close();
    }

    @Test
    void shouldWriteEveryOutputExactlyOnceAcrossAFailureAfterUncommittedWrites() throws Exception {
        Input input = Input.create();
        Outputs expected = bounded(input);

        Outputs seen = streamWithFailure(input, "exactly-once");

        // the failure came after output had been written past the checkpoint
        assertThat(FailAfterUncommittedOutput.failed).isTrue();
        assertThat(FailAfterUncommittedOutput.uncommittedSeen).isTrue();
        // exactly once on every output: none lost, none repeated
        assertThat(seen.signals()).containsExactlyInAnyOrderElementsOf(expected.signals());
        assertThat(seen.holdout()).containsExactlyInAnyOrderElementsOf(expected.holdout());
        assertThat(seen.forwardForward())
                .containsExactlyInAnyOrderElementsOf(expected.forwardForward());
        assertThat(seen.deadLetters()).containsExactlyInAnyOrderElementsOf(expected.deadLetters());
        assertThat(seen.deadLetters())
                .anyMatch(d -> d.startsWith("late"))
                .anyMatch(d -> d.startsWith("orphan"))
                .anyMatch(d -> d.contains("neutral"));
    }

    @Test
    void shouldRepeatOutputsAcrossTheSameFailureWithAtLeastOnceSinks() throws Exception {
        Input input = Input.create();
        Outputs expected = bounded(input);

        Outputs seen = streamWithFailure(input, "at-least-once");

        assertThat(FailAfterUncommittedOutput.failed).isTrue();
        assertThat(FailAfterUncommittedOutput.uncommittedSeen).isTrue();
        // nothing lost, but what was written after the checkpoint is written again
        assertThat(new HashSet<>(seen.signals())).isEqualTo(new HashSet<>(expected.signals()));
        assertThat(seen.signals()).hasSizeGreaterThan(expected.signals().size());
    }

    /** What the job reads: records, feedback (late, orphan, refused, repeated) and a snapshot. */
    private record Input(
            List<InferenceRecord> records,
            List<Feedback> firstFeedback,
            List<Feedback> laterFeedback,
            AdapterStep snapshot) {
        static Input create() {
            List<InferenceRecord> records = new ArrayList<>();
            List<Feedback> feedback = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                records.add(Fixtures.record("req-" + i, T0 + i));
                FeedbackKind kind = i % 3 == 0 ? FeedbackKind.REJECT : FeedbackKind.ACCEPT;
                if (i == 52) {
                    feedback.add(
                            Fixtures.feedback(
                                    "f-52", "req-52", FeedbackKind.LABEL, "neutral", T0 + 62));
                } else if (i == 53) {
                    feedback.add(
                            Fixtures.feedback("f-53", "req-53", kind, null, T0 + WAIT + 1_053));
                } else {
                    feedback.add(Fixtures.feedback("f-" + i, "req-" + i, kind, null, T0 + i + 10));
                }
            }
            List<Feedback> later = new ArrayList<>(feedback.subList(REQUESTS / 2, REQUESTS));
            later.add(Fixtures.feedback("f-50", "req-50", FeedbackKind.ACCEPT, null, T0 + 60));
            later.add(
                    Fixtures.feedback("f-51b", "req-51", FeedbackKind.LABEL, "negative", T0 + 70));
            later.add(
                    Fixtures.feedback("f-ghost-1", "ghost-1", FeedbackKind.ACCEPT, null, T0 + 80));
            later.add(
                    Fixtures.feedback("f-ghost-2", "ghost-2", FeedbackKind.ACCEPT, null, T0 + 81));
            return new Input(
                    records,
                    feedback.subList(0, REQUESTS / 2),
                    later,
                    Fixtures.snapshot(Fixtures.base(), 1));
        }

        List<Feedback> allFeedback() {
            List<Feedback> all = new ArrayList<>(firstFeedback);
            all.addAll(laterFeedback);
            return all;
        }
    }

    /** The four outputs as comparable strings. */
    private record Outputs(
            List<String> signals,
            List<String> holdout,
            List<String> forwardForward,
            List<String> deadLetters) {}

    // the bounded job over files gives the expected outputs
    private Outputs bounded(Input input) throws IOException {
        Path out = dir.resolve("replay-out");
        HistoricalFiles files =
                HistoricalFiles.builder()
                        .inferenceRecords(jsonl(dir.resolve("records.jsonl"), input.records()))
                        .feedback(
                                avro(
                                        dir.resolve("feedback.avro"),
                                        input.allFeedback(),
                                        Feedback.class))
                        .adapterSteps(
                                avro(
                                        dir.resolve("steps.avro"),
                                        List.of(input.snapshot()),
                                        AdapterStep.class))
                        .outputDirectory(out)
                        .build();
        Map<String, Long> counts = SignalJobRunner.replay(config("replay", "exactly-once"), files);
        Outputs expected =
                new Outputs(
                        read(out, Topics.ZO_SIGNALS, ZeroOrderSignal.class, SignalJobIT::view),
                        read(out, Topics.HOLDOUT, LabeledExample.class, SignalJobIT::view),
                        read(
                                out,
                                Topics.FF_EXAMPLES,
                                ForwardForwardExample.class,
                                SignalJobIT::view),
                        read(out, Topics.DEAD_LETTERS, DeadLetter.class, SignalJobIT::view));
        assertThat(counts.get("joined")).isEqualTo(REQUESTS - 2);
        assertThat(counts.get("dead-lettered-late")).isEqualTo(1);
        assertThat(counts.get("dead-lettered-orphan")).isEqualTo(2);
        assertThat(counts.get("dead-lettered-unknown-label")).isEqualTo(1);
        assertThat(counts.get("duplicates")).isEqualTo(2);
        assertThat(counts.get("replay-signals-out")).isPositive();
        assertThat(expected.signals()).hasSizeGreaterThan(4 * UNCOMMITTED).doesNotHaveDuplicates();
        assertThat(expected.holdout()).isNotEmpty();
        return expected;
    }

    // the streaming job fails once after writing past a checkpoint, restarts and goes on
    private Outputs streamWithFailure(Input input, String guarantee) throws Exception {
        send(Topics.ADAPTER_STEPS, List.of(input.snapshot()), s -> s.getAdapterName());
        send(
                Topics.INFERENCE_RECORDS,
                input.records().subList(0, REQUESTS / 2),
                r -> r.getRequestId());
        send(Topics.FEEDBACK, input.firstFeedback(), f -> f.getRequestId());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        SignalJobConfig config = config("live", guarantee);
        SignalJob.build(
                env,
                config,
                signals ->
                        signals.map(new FailAfterUncommittedOutput(), JobTypes.ZERO_ORDER_SIGNAL));
        try (RunningSignalJob job =
                new RunningSignalJob(env.executeAsync("signal-it"), Duration.ofSeconds(5))) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> FailAfterUncommittedOutput.completed > 0);
            send(
                    Topics.INFERENCE_RECORDS,
                    input.records().subList(REQUESTS / 2, REQUESTS),
                    r -> r.getRequestId());
            send(Topics.FEEDBACK, input.laterFeedback(), f -> f.getRequestId());
            await().atMost(Duration.ofSeconds(60)).until(() -> FailAfterUncommittedOutput.failed);

            // once every feedback event is counted again, a far later record lets the
            // watermark pass every wait, so that the orphans are dead-lettered
            long feedbackEvents = input.allFeedback().size();
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(() -> job.counts().get("feedback-in") == feedbackEvents);
            send(
                    Topics.INFERENCE_RECORDS,
                    List.of(Fixtures.record("clock", T0 + 10 * WAIT)),
                    r -> r.getRequestId());
            return consume(job);
        }
    }

    private Outputs consume(RunningSignalJob job) throws InterruptedException {
        try (KafkaConsumer<String, ZeroOrderSignal> signals = consumer(Topics.ZO_SIGNALS);
                KafkaConsumer<String, LabeledExample> holdout = consumer(Topics.HOLDOUT);
                KafkaConsumer<String, ForwardForwardExample> ff = consumer(Topics.FF_EXAMPLES);
                KafkaConsumer<String, DeadLetter> dead = consumer(Topics.DEAD_LETTERS)) {
            Outputs seen =
                    new Outputs(
                            new ArrayList<>(),
                            new ArrayList<>(),
                            new ArrayList<>(),
                            new ArrayList<>());
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(
                            () -> {
                                pollAll(signals, holdout, ff, dead, seen);
                                return seen.deadLetters().size() >= 4
                                        && job.counts().get("dead-lettered-orphan") == 2;
                            });
            // two more checkpoints: anything repeated would be committed by now
            Thread.sleep(2_500);
            pollAll(signals, holdout, ff, dead, seen);
            pollAll(signals, holdout, ff, dead, seen);
            return seen;
        }
    }

    private static void pollAll(
            KafkaConsumer<String, ZeroOrderSignal> signals,
            KafkaConsumer<String, LabeledExample> holdout,
            KafkaConsumer<String, ForwardForwardExample> ff,
            KafkaConsumer<String, DeadLetter> dead,
            Outputs into) {
        poll(signals, into.signals(), SignalJobIT::view);
        poll(holdout, into.holdout(), SignalJobIT::view);
        poll(ff, into.forwardForward(), SignalJobIT::view);
        poll(dead, into.deadLetters(), SignalJobIT::view);
    }

    private static SignalJobConfig config(String name, String guarantee) {
        Map<String, Object> values = new HashMap<>(platform.connection().clientProperties());
        values.put(ClusterConnection.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        values.put(ClusterConnection.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
        values.put(SignalJobConfig.BATCH_SIZE, 4);
        values.put(SignalJobConfig.SEEDS_PER_BATCH, 2);
        values.put(SignalJobConfig.REPLAY_BATCHES, 1);
        values.put(SignalJobConfig.REPLAY_BUFFER_SIZE, 16);
        values.put(SignalJobConfig.PARALLEL_SHARDS, 3);
        values.put(SignalJobConfig.HOLDOUT_SHARE, 0.1);
        values.put(SignalJobConfig.FEEDBACK_WAIT_MS, WAIT);
        values.put(SignalJobConfig.CHECKPOINT_INTERVAL_MS, 1_000L);
        values.put(SignalJobConfig.PARALLELISM, 1);
        values.put(SignalJobConfig.RESTART_DELAY_MS, 200L);
        values.put(SignalJobConfig.SOURCE_IDLE_TIMEOUT_MS, 500L);
        values.put(SignalJobConfig.DELIVERY_GUARANTEE, guarantee);
        values.put(SignalJobConfig.TRANSACTIONAL_ID_PREFIX, "signal-it-" + name);
        values.put(SignalJobConfig.GROUP_ID, "signal-it-" + name);
        return SignalJobConfig.from(values);
    }

    /**
     * Passes signals to the sink; once a checkpoint has completed and {@link #UNCOMMITTED} signals
     * have passed since its barrier, waits until one of them is in the topic, then fails the job,
     * once.
     */
    static final class FailAfterUncommittedOutput
            implements MapFunction<ZeroOrderSignal, ZeroOrderSignal>,
                    CheckpointedFunction,
                    CheckpointListener {
        static volatile int completed;
        static volatile boolean failed;
        static volatile boolean uncommittedSeen;

        private final Map<Long, Integer> passedAtBarrier = new HashMap<>();
        private final List<String> passed = new ArrayList<>();
        private long lastCompleted = -1;

        static void reset() {
            completed = 0;
            failed = false;
            uncommittedSeen = false;
        }

        @Override
        public ZeroOrderSignal map(ZeroOrderSignal signal) {
            if (!failed && lastCompleted >= 0) {
                List<String> since =
                        passed.subList(passedAtBarrier.get(lastCompleted), passed.size());
                if (since.size() >= UNCOMMITTED) {
                    uncommittedSeen = awaitInTopic(Set.copyOf(since));
                    failed = true;
                    throw new IllegalStateException(
                            "failure injected after " + since.size() + " uncommitted signals");
                }
            }
            passed.add(signal.getSignalId());
            return signal;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            passedAtBarrier.put(context.getCheckpointId(), passed.size());
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (passedAtBarrier.containsKey(checkpointId)) {
                lastCompleted = checkpointId;
                completed++;
            }
        }

        // whether one of the ids is in zo-signals for a read_uncommitted consumer, within 30 s
        private static boolean awaitInTopic(Set<String> ids) {
            Map<String, Object> props = new HashMap<>(platform.connection().kafkaProperties());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "signal-it-uncommitted-" + System.nanoTime());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            try (AvroSerde<ZeroOrderSignal> serde =
                            Topics.ZO_SIGNALS.valueSerde(platform.connection().serdeConfig());
                    KafkaConsumer<String, ZeroOrderSignal> consumer =
                            new KafkaConsumer<>(
                                    props, new StringDeserializer(), serde.deserializer())) {
                consumer.subscribe(List.of(Topics.ZO_SIGNALS.name()));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline) {
                    for (var record : consumer.poll(Duration.ofMillis(200))) {
                        if (ids.contains(record.value().getSignalId())) {
                            return true;
                        }
                    }
                }
                return false;
            }
        }
    }

    private static String view(ZeroOrderSignal signal) {
        return signal.getSignalId() + " " + signal.getLossPlus() + " " + signal.getLossMinus();
    }

    private static String view(LabeledExample example) {
        return example.getRequestId() + " " + example.getLabel() + " " + example.getRejectedLabel();
    }

    private static String view(ForwardForwardExample example) {
        return example.getRequestId()
                + " "
                + example.getLabel()
                + " "
                + example.getPositive()
                + " "
                + example.getReason();
    }

    private static String view(DeadLetter letter) {
        return letter.getReason()
                + " "
                + StandardCharsets.UTF_8.decode(letter.getOriginalKey().duplicate());
    }

    private static <T extends SpecificRecordBase> void send(
            Topic<String, T> topic, List<T> values, Function<T, String> key) {
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
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "signal-it-check-" + topic.name());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroSerde<T> serde = topic.valueSerde(platform.connection().serdeConfig());
        KafkaConsumer<String, T> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }

    private static <T> void poll(
            KafkaConsumer<String, T> consumer, List<String> into, Function<T, String> view) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> into.add(view.apply(r.value())));
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

    private static <T extends SpecificRecordBase> List<String> read(
            Path out, Topic<String, T> topic, Class<T> type, Function<T, String> view)
            throws IOException {
        List<String> values = new ArrayList<>();
        Path directory = out.resolve(topic.name());
        if (!Files.exists(directory)) {
            return values;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file :
                    files.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .toList()) {
                for (String line : Files.readAllLines(file)) {
                    values.add(view.apply(JsonRecords.parse(line, type)));
                }
            }
        }
        return values;
    }
}
