package io.forwardloop.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.schemas.SampleRecords;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryException;
import io.forwardloop.schemas.registry.SchemaRegistryUnreachableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final Map<String, Object> config =
            new HashMap<>(Map.of("schema.registry.url", "http://localhost:8081"));

    private <T> AvroSerde<T> serde(Class<T> type) {
        AvroSerde<T> serde = new AvroSerde<>(type, registry);
        serde.configure(config, false);
        return serde;
    }

    @Test
    void shouldRoundTripEveryRecordAndRegisterItUnderTheTopicSubject() {
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(registry);
        serializer.configure(config, false);
        AvroDeserializer<SpecificRecord> deserializer = new AvroDeserializer<>(null, registry);
        deserializer.configure(config, false);
        for (SpecificRecord record : SampleRecords.all()) {
            byte[] bytes = serializer.serialize("t", record);
            assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
            assertThat(deserializer.deserialize("t", bytes)).isEqualTo(record);
        }
        assertThat(registry.subjects()).containsExactly("t-value");
    }

    @Test
    void shouldReadIntoTheTopicsValueType() {
        try (AvroSerde<InferenceRecord> serde =
                Topics.INFERENCE_RECORDS.valueSerde(registry, config)) {
            InferenceRecord record = SampleRecords.inferenceRecord();
            byte[] bytes = serde.serializer().serialize("inference-records", record);
            assertThat(WireFormat.schemaId("inference-records", bytes))
                    .isEqualTo(registry.latest("inference-records-value").id());
            assertThat(serde.deserializer().deserialize("inference-records", bytes))
                    .isEqualTo(record);
        }
    }

    @Test
    void shouldPassTombstonesThrough() {
        AvroSerde<Feedback> serde = serde(Feedback.class);
        assertThat(serde.serializer().serialize("feedback", null)).isNull();
        assertThat(serde.deserializer().deserialize("feedback", null)).isNull();
    }

    @Test
    void shouldRoundTripGenericRecordsWhenSpecificReadingIsOff() {
        config.put("specific.avro.reader", false);
        AvroSerde<GenericRecord> serde = serde(GenericRecord.class);
        GenericRecord record = new GenericData.Record(Feedback.getClassSchema());
        record.put("feedback_id", "fb-9");
        record.put("request_id", "req-9");
        record.put(
                "kind",
                new GenericData.EnumSymbol(
                        Feedback.getClassSchema().getField("kind").schema(), "ACCEPT"));
        record.put("label", null);
        record.put("timestamp_ms", 5L);
        record.put("source", "api");
        GenericRecord read =
                serde.deserializer()
                        .deserialize("feedback", serde.serializer().serialize("feedback", record));
        assertThat(read.get("feedback_id").toString()).isEqualTo("fb-9");
        assertThat(read.get("kind").toString()).isEqualTo("ACCEPT");
    }

    @Test
    void shouldNameTopicAndSubjectWhenARecordDoesNotMatchItsSchema() {
        Feedback broken = SampleRecords.feedback();
        broken.setSource(null);
        assertThatThrownBy(() -> serde(Feedback.class).serializer().serialize("feedback", broken))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'feedback'")
                .hasMessageContaining("subject 'feedback-value'")
                .hasMessageContaining("source");
    }

    @Test
    void shouldNameTheSubjectWhenAutoRegistrationIsOffAndTheSchemaIsUnknown() {
        config.put("auto.register.schemas", "false");
        assertThatThrownBy(
                        () ->
                                serde(Feedback.class)
                                        .serializer()
                                        .serialize("feedback", SampleRecords.feedback()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'feedback'")
                .hasMessageContaining("subject 'feedback-value'");
    }

    @Test
    void shouldWriteWithTheLatestVersionIdWhenAsked() {
        int id = registry.register("feedback-value", Feedback.getClassSchema());
        config.put("auto.register.schemas", "false");
        config.put("use.latest.version", "true");
        byte[] bytes =
                serde(Feedback.class).serializer().serialize("feedback", SampleRecords.feedback());
        assertThat(WireFormat.schemaId("feedback", bytes)).isEqualTo(id);
    }

    @Test
    void shouldUseTheRecordNameStrategyWhenConfigured() {
        config.put("value.subject.name.strategy", "RecordNameStrategy");
        serde(Feedback.class).serializer().serialize("feedback", SampleRecords.feedback());
        assertThat(registry.subjects()).containsExactly("io.forwardloop.schemas.avro.Feedback");
    }

    @Test
    void shouldNameTopicAndIdForAnUnknownSchemaId() {
        byte[] bytes = WireFormat.frame(99, new byte[] {2, 'x'});
        assertThatThrownBy(
                        () -> serde(Feedback.class).deserializer().deserialize("feedback", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'feedback'")
                .hasMessageContaining("schema id 99");
    }

    @Test
    void shouldSayTheIdIsUnknownOnlyWhenTheRegistrySaysSo() {
        byte[] bytes = WireFormat.frame(99, new byte[] {2, 'x'});
        assertThatThrownBy(
                        () -> serde(Feedback.class).deserializer().deserialize("feedback", bytes))
                .hasMessageContaining("schema id 99 is unknown to the registry (error 40403)");
    }

    @Test
    void shouldNameTheUrlAndTopicWhenTheRegistryIsUnreachableWhileReading() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        byte[] bytes = WireFormat.frame(7, new byte[] {2, 'x'});
        try (AvroDeserializer<Feedback> deserializer = new AvroDeserializer<>(Feedback.class)) {
            deserializer.configure(Map.of("schema.registry.url", url), false);

            assertThatThrownBy(() -> deserializer.deserialize("feedback", bytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("topic 'feedback'")
                    .hasMessageContaining("schema id 7")
                    .hasMessageContaining("schema registry at " + url + " is unreachable")
                    .hasMessageNotContaining("unknown")
                    .hasCauseInstanceOf(SchemaRegistryUnreachableException.class);
        }
    }

    @Test
    void shouldPassOnOtherRegistryFailuresWithoutCallingTheIdUnknown() {
        SchemaRegistryClient failing =
                new InMemorySchemaRegistryClient() {
                    @Override
                    public synchronized Schema schemaById(int id) {
                        throw new SchemaRegistryException("Unauthorized (HTTP 401)", 401);
                    }
                };
        AvroDeserializer<Feedback> deserializer = new AvroDeserializer<>(Feedback.class, failing);
        deserializer.configure(config, false);
        byte[] bytes = WireFormat.frame(5, new byte[] {2, 'x'});

        assertThatThrownBy(() -> deserializer.deserialize("feedback", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'feedback'")
                .hasMessageContaining("failed to return schema id 5")
                .hasMessageContaining("Unauthorized")
                .hasMessageNotContaining("unknown");
    }

    /** Returns a local port that nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void shouldRefuseATruncatedPayload() {
        AvroSerde<Feedback> serde = serde(Feedback.class);
        byte[] bytes = serde.serializer().serialize("feedback", SampleRecords.feedback());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> serde.deserializer().deserialize("feedback", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'feedback'")
                .hasMessageContaining("schema id " + WireFormat.schemaId("feedback", bytes));
    }

    @Test
    void shouldRefuseTrailingBytesRatherThanIgnoreThem() {
        AvroSerde<Feedback> serde = serde(Feedback.class);
        byte[] bytes = serde.serializer().serialize("feedback", SampleRecords.feedback());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);
        assertThatThrownBy(() -> serde.deserializer().deserialize("feedback", longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("left over");
    }

    @Test
    void shouldRefuseAWrongMagicByte() {
        assertThatThrownBy(
                        () ->
                                serde(Feedback.class)
                                        .deserializer()
                                        .deserialize("raw-feedback", "{\"json\":1}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'raw-feedback'")
                .hasMessageContaining("magic byte");
    }

    @Test
    void shouldNameTheTopicWhenTheWriterSchemaCannotBeReadAsTheReaderType() {
        AvroSerde<Feedback> feedback = serde(Feedback.class);
        byte[] bytes =
                serde(InferenceRecord.class)
                        .serializer()
                        .serialize("mixed", SampleRecords.inferenceRecord());
        assertThatThrownBy(() -> feedback.deserializer().deserialize("mixed", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'mixed'")
                .hasMessageContaining("InferenceRecord");
    }

    @Test
    void shouldRefuseANonAvroObject() {
        AvroSerializer<Object> serializer = new AvroSerializer<>(registry);
        serializer.configure(config, false);
        assertThatThrownBy(() -> serializer.serialize("feedback", "plain text"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.lang.String")
                .hasMessageContaining("topic 'feedback'");
    }
}
