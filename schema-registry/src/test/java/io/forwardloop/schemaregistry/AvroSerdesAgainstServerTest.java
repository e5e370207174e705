package io.forwardloop.schemaregistry;

import static io.forwardloop.schemaregistry.TestSchemas.RATING_V1;
import static io.forwardloop.schemaregistry.TestSchemas.RATING_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.serde.AvroDeserializer;
import io.forwardloop.schemas.serde.AvroSerdeConfig;
import io.forwardloop.schemas.serde.AvroSerializer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka serdes of the {@code schemas} module against a real registry server. */
class AvroSerdesAgainstServerTest {
    @TempDir Path dataDir;
    private SchemaRegistryServer server;
    private RegistryHttp http;
    private Map<String, Object> config;

    @BeforeEach
    void start() {
        server = SchemaRegistryServer.builder().build().start();
        http = new RegistryHttp(server.url());
        config = new HashMap<>(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldRoundTripAGeneratedRecordThroughTheRegistry() {
        Feedback feedback = feedback();

        byte[] bytes = serialize("feedback", feedback);

        assertThat(deserialize("feedback", bytes)).isEqualTo(feedback);
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt())
                .isEqualTo(
                        http.get("/subjects/feedback-value/versions/latest")
                                .body()
                                .path("id")
                                .asInt());
    }

    @Test
    void shouldNameTheIdAndTopicOfAnUnknownSchema() {
        byte[] bytes = ByteBuffer.allocate(6).put((byte) 0).putInt(31337).put((byte) 2).array();

        assertThatThrownBy(() -> deserialize("feedback", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'feedback'")
                .hasMessageContaining("schema id 31337 is unknown to the registry (error 40403)");
    }

    @Test
    void shouldSayTheRegistryIsUnreachableNotThatTheIdIsUnknownWhenItIsStopped() {
        byte[] bytes = serialize("feedback", feedback());
        String url = server.url();
        server.close();

        assertThatThrownBy(() -> deserialize("feedback", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'feedback'")
                .hasMessageContaining("schema registry at " + url + " is unreachable")
                .hasMessageContaining("schema id " + ByteBuffer.wrap(bytes, 1, 4).getInt())
                .hasMessageNotContaining("unknown to the registry");
    }

    @Test
    void shouldReadAgainOnceAStoppedRegistryIsBack() {
        Feedback feedback = feedback();
        Path dir = dataDir.resolve("registry");
        server.close();
        server = SchemaRegistryServer.builder().dataDir(dir).build().start();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url());
        byte[] bytes = serialize("feedback", feedback);
        int port = server.port();
        server.close();

        try (AvroDeserializer<Feedback> deserializer = new AvroDeserializer<>(Feedback.class)) {
            deserializer.configure(config, false);
            assertThatThrownBy(() -> deserializer.deserialize("feedback", bytes))
                    .hasMessageContaining("unreachable");

            server = SchemaRegistryServer.builder().port(port).dataDir(dir).build().start();

            assertThat(deserializer.deserialize("feedback", bytes)).isEqualTo(feedback);
        }
    }

    @Test
    void shouldNameOtherRegistryFailuresWithoutCallingTheIdUnknown() {
        byte[] bytes = serialize("feedback", feedback());
        server.close();
        server = SchemaRegistryServer.builder().basicAuth("loop:s3cret").build().start();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url());

        assertThatThrownBy(() -> deserialize("feedback", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'feedback'")
                .hasMessageContaining("failed to return schema id")
                .hasMessageContaining("error code 401")
                .hasMessageNotContaining("unknown to the registry");
    }

    @Test
    void shouldRefuseARecordThatDoesNotMatchItsSchema() {
        GenericRecord rating = new GenericData.Record(new Schema.Parser().parse(RATING_V1));
        rating.put("requestId", "req-1");

        assertThatThrownBy(() -> serialize("ratings", rating))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("ratings")
                .hasMessageContaining("Rating");
    }

    @Test
    void shouldNameTheUrlWhenTheRegistryIsDown() {
        String url = server.url();
        server.close();

        assertThatThrownBy(() -> serialize("feedback", feedback()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(url);
    }

    @Test
    void shouldOnlyLookUpSchemasWhenAutoRegistrationIsOff() {
        config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);

        assertThatThrownBy(() -> serialize("feedback", feedback()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("feedback-value");

        int id = http.registerOk("feedback-value", Feedback.getClassSchema().toString());
        assertThat(ByteBuffer.wrap(serialize("feedback", feedback()), 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void shouldWriteWithTheLatestVersionWhenAsked() {
        config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        config.put(AvroSerdeConfig.USE_LATEST_VERSION, true);
        http.registerOk("ratings-value", RATING_V1);
        int latest = http.registerOk("ratings-value", RATING_V2);
        GenericRecord rating = new GenericData.Record(new Schema.Parser().parse(RATING_V2));
        rating.put("requestId", "req-1");
        rating.put("score", 4);
        rating.put("comment", "fine");

        byte[] bytes = serialize("ratings", rating);

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latest);
    }

    private byte[] serialize(String topic, Object record) {
        try (AvroSerializer<Object> serializer = new AvroSerializer<>()) {
            serializer.configure(config, false);
            return serializer.serialize(topic, record);
        }
    }

    private Feedback deserialize(String topic, byte[] bytes) {
        try (AvroDeserializer<Feedback> deserializer = new AvroDeserializer<>(Feedback.class)) {
            deserializer.configure(config, false);
            return deserializer.deserialize(topic, bytes);
        }
    }

    static Feedback feedback() {
        return Feedback.newBuilder()
                .setFeedbackId("fb-1")
                .setRequestId("req-1")
                .setKind(FeedbackKind.LABEL)
                .setLabel("positive")
                .setTimestampMs(Instant.ofEpochMilli(1_700_000_000_123L))
                .setSource("ui")
                .build();
    }
}
