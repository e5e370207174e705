package io.forwardloop.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.ingest.streams.internal.IngestCounters;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ingest topology on the test driver: each reject reason, dedupe, and window expiry. */
class IngestTopologyTest {
    private static final String RAW_INFERENCE = Topics.RAW_INFERENCE_RECORDS.name();
    private static final Map<String, Object> SERDE =
            Map.of("schema.registry.url", "http://registry.invalid");

    @TempDir Path stateDir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private MemorySchemaRegistry registry;
    private TopologyTestDriver driver;
    private AvroSerde<InferenceRecord> inferenceSerde;
    private AvroSerde<Feedback> feedbackSerde;
    private AvroSerde<DeadLetter> deadLetterSerde;
    private TestInputTopic<String, byte[]> rawInference;
    private TestInputTopic<String, byte[]> rawFeedback;
    private TestOutputTopic<byte[], byte[]> inference;
    private TestOutputTopic<byte[], byte[]> feedback;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        registry = new MemorySchemaRegistry();
        IngestConfig config =
                new IngestConfig(
                        Map.of(
                                IngestConfig.ADAPTERS, "sentiment",
                                IngestConfig.TEXT_MAX_CHARS, 10,
                                IngestConfig.DEDUPE_WINDOW_MS, 60_000,
                                IngestConfig.DEDUPE_PUNCTUATE_INTERVAL_MS, 10_000));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-test");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver =
                new TopologyTestDriver(
                        IngestTopology.build(config, registry, SERDE, meters), props);
        inferenceSerde = Topics.RAW_INFERENCE_RECORDS.valueSerde(registry, SERDE);
        feedbackSerde = Topics.RAW_FEEDBACK.valueSerde(registry, SERDE);
        deadLetterSerde = Topics.DEAD_LETTERS.valueSerde(registry, SERDE);
        rawInference = input(Topics.RAW_INFERENCE_RECORDS.name());
        rawFeedback = input(Topics.RAW_FEEDBACK.name());
        inference = output(Topics.INFERENCE_RECORDS.name());
        feedback = output(Topics.FEEDBACK.name());
        deadLetters = output(Topics.DEAD_LETTERS.name());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldPassAValidInferenceRecordWithItsOriginalBytes() {
        byte[] bytes = serialize(IngestRecords.inference("r1").build());
        rawInference.pipeInput("r1", bytes);

        assertThat(inference.readValue()).isEqualTo(bytes);
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(count(IngestCounters.VALIDATED, RAW_INFERENCE)).isEqualTo(1.0);
    }

    static List<Object[]> invalidInference() {
        List<Float> nan = new ArrayList<>(Collections.nCopies(384, 0.1f));
        nan.set(7, Float.NaN);
        return List.of(
                reject(
                        "empty request id",
                        b -> b.setRequestId(""),
                        "request_id is empty",
                        "empty_id"),
                reject(
                        "unknown adapter",
                        b -> b.setAdapterName("other"),
                        "adapter 'other'",
                        "unknown_adapter"),
                reject(
                        "unknown encoder",
                        b -> b.setEncoderId("gpt"),
                        "encoder 'gpt'",
                        "unknown_encoder"),
                reject(
                        "wrong width",
                        b -> b.setActivation(new ArrayList<>(Collections.nCopies(10, 0f))),
                        "activation has 10 values",
                        "activation_width"),
                reject(
                        "non-finite activation",
                        b -> b.setActivation(nan),
                        "activation[7] is NaN",
                        "non_finite"),
                reject(
                        "misaligned scores",
                        b -> b.setScores(List.of(1f)),
                        "must be equal",
                        "labels_scores"),
                reject(
                        "non-finite score",
                        b -> b.setScores(List.of(Float.POSITIVE_INFINITY, 0f)),
                        "scores[0] is Infinity",
                        "non_finite"),
                reject(
                        "unknown predicted label",
                        b -> b.setPredictedLabel("meh"),
                        "'meh' is not in",
                        "predicted_label"),
                reject(
                        "long text",
                        b -> b.setText("x".repeat(11)),
                        "11 characters",
                        "text_too_long"));
    }

    private static Object[] reject(
            String name,
            UnaryOperator<InferenceRecord.Builder> breaker,
            String reason,
            String code) {
        return new Object[] {name, breaker, reason, code};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidInference")
    void shouldDeadLetterAnInvalidInferenceRecordWithItsReason(
            String name,
            UnaryOperator<InferenceRecord.Builder> breaker,
            String reason,
            String code) {
        byte[] bytes = serialize(breaker.apply(IngestRecords.inference("r1")).build());
        rawInference.pipeInput("r1", bytes);

        DeadLetter letter = deadLetter();
        assertThat(letter.getReason()).contains(reason);
        assertThat(letter.getOriginalValue().array()).isEqualTo(bytes);
        assertThat(new String(letter.getOriginalKey().array())).isEqualTo("r1");
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.RAW_INFERENCE_RECORDS.name());
        assertThat(letter.getStage()).isEqualTo("ingest-topology");
        assertThat(inference.isEmpty()).isTrue();
        assertThat(deadLettered(RAW_INFERENCE, code)).isEqualTo(1.0);
        assertThat(count(IngestCounters.VALIDATED, RAW_INFERENCE)).isZero();
    }

    @Test
    void shouldDeadLetterBytesThatAreNotARecordOfTheSchema() {
        rawInference.pipeInput("r1", new byte[] {0, 0, 0, 0, 42, 1, 2});
        rawFeedback.pipeInput("f1", "not avro".getBytes());

        assertThat(deadLetter().getReason()).contains("not a valid record of its schema");
        DeadLetter second = deadLetter();
        assertThat(second.getSourceTopic()).isEqualTo(Topics.RAW_FEEDBACK.name());
        assertThat(second.getErrorClass()).isNotBlank();
        assertThat(deadLettered(RAW_INFERENCE, "not_deserializable")).isEqualTo(1.0);
        assertThat(deadLettered(Topics.RAW_FEEDBACK.name(), "not_deserializable")).isEqualTo(1.0);
    }

    @Test
    void shouldFailTheTaskInsteadOfDeadLetteringWhileTheSchemaRegistryIsUnreachable() {
        byte[] bytes = serialize(IngestRecords.inference("r1").build());
        registry.unreachable();

        assertThatThrownBy(() -> rawInference.pipeInput("r1", bytes))
                .isInstanceOf(StreamsException.class)
                .hasStackTraceContaining("the schema registry did not answer");
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(inference.isEmpty()).isTrue();
        assertThat(meters.find(IngestCounters.DEAD_LETTERED).counters()).isEmpty();
    }

    @Test
    void shouldDeadLetterFeedbackOfUnknownKindOrWithoutALabel() {
        rawFeedback.pipeInput(
                "r1",
                serialize(
                        IngestRecords.feedback("f1", "r1").setKind(FeedbackKind.UNKNOWN).build()));
        rawFeedback.pipeInput(
                "r1", serialize(IngestRecords.feedback("f2", "r1").setLabel(null).build()));
        rawFeedback.pipeInput("r1", serialize(IngestRecords.feedback("", "r1").build()));

        assertThat(deadLetter().getReason()).contains("kind is unknown");
        assertThat(deadLetter().getReason()).contains("no label");
        assertThat(deadLetter().getReason()).contains("feedback_id is empty");
        assertThat(feedback.isEmpty()).isTrue();
        String raw = Topics.RAW_FEEDBACK.name();
        assertThat(deadLettered(raw, "unknown_feedback_kind")).isEqualTo(1.0);
        assertThat(deadLettered(raw, "missing_label")).isEqualTo(1.0);
        assertThat(deadLettered(raw, "empty_id")).isEqualTo(1.0);
    }

    @Test
    void shouldDropARepeatedRequestIdWithinTheWindow() {
        rawInference.pipeInput("r1", serialize(IngestRecords.inference("r1").build()));
        rawInference.pipeInput(
                "r1", serialize(IngestRecords.inference("r1").setAdapterVersion(2).build()));
        rawFeedback.pipeInput("r1", serialize(IngestRecords.feedback("f1", "r1").build()));
        rawFeedback.pipeInput("r1", serialize(IngestRecords.feedback("f1", "r1").build()));
        rawFeedback.pipeInput("r1", serialize(IngestRecords.feedback("f2", "r1").build()));

        assertThat(inference.readValuesToList()).hasSize(1);
        assertThat(feedback.readValuesToList()).hasSize(2);
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(count(IngestCounters.DUPLICATES, RAW_INFERENCE)).isEqualTo(1.0);
        assertThat(count(IngestCounters.DUPLICATES, Topics.RAW_FEEDBACK.name())).isEqualTo(1.0);
        assertThat(count(IngestCounters.VALIDATED, Topics.RAW_FEEDBACK.name())).isEqualTo(2.0);
    }

    @Test
    void shouldPassARepeatAgainOnceTheWindowHasExpired() {
        rawInference.pipeInput("r1", serialize(IngestRecords.inference("r1").build()));
        driver.advanceWallClockTime(Duration.ofSeconds(61));
        rawInference.pipeInput("r1", serialize(IngestRecords.inference("r1").build()));

        assertThat(inference.readValuesToList()).hasSize(2);
        assertThat(driver.getKeyValueStore(IngestTopology.INFERENCE_STORE).approximateNumEntries())
                .isEqualTo(1);
    }

    private double count(String counter, String topic) {
        return meters.counter(counter, "topic", topic).count();
    }

    private double deadLettered(String topic, String reason) {
        return meters.counter(IngestCounters.DEAD_LETTERED, "topic", topic, "reason", reason)
                .count();
    }

    private DeadLetter deadLetter() {
        return deadLetterSerde
                .deserializer()
                .deserialize(Topics.DEAD_LETTERS.name(), deadLetters.readValue());
    }

    private byte[] serialize(InferenceRecord record) {
        return inferenceSerde.serializer().serialize(Topics.RAW_INFERENCE_RECORDS.name(), record);
    }

    private byte[] serialize(Feedback record) {
        return feedbackSerde.serializer().serialize(Topics.RAW_FEEDBACK.name(), record);
    }

    private TestInputTopic<String, byte[]> input(String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
    }

    private TestOutputTopic<byte[], byte[]> output(String topic) {
        return driver.createOutputTopic(
                topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
