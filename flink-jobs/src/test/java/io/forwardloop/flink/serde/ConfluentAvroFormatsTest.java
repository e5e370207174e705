package io.forwardloop.flink.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.schemaregistry.SchemaRegistryServer;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryClients;
import io.forwardloop.schemas.serde.AvroDeserializer;
import io.forwardloop.schemas.serde.AvroSerdeConfig;
import io.forwardloop.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfluentAvroFormatsTest {
    private static final String TOPIC = "feedback";

    private SchemaRegistryServer registry;
    private Map<String, String> config;

    @BeforeEach
    void startRegistry() {
        registry = SchemaRegistryServer.builder().port(0).build().start();
        config = new HashMap<>(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void shouldWriteRecordsTheKafkaDeserializerReads() {
        RegistryAvroSerializationSchema<Feedback> flink =
                ConfluentAvroFormats.serializer(Feedback.class, TOPIC, config);

        byte[] bytes = flink.serialize(feedback("f-1"));

        try (AvroDeserializer<Feedback> kafka = new AvroDeserializer<>(Feedback.class);
                SchemaRegistryClient client = SchemaRegistryClients.create(config)) {
            kafka.configure(config, false);
            assertThat(kafka.deserialize(TOPIC, bytes)).isEqualTo(feedback("f-1"));
            assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt())
                    .isEqualTo(client.latest("feedback-value").id());
        }
    }

    @Test
    void shouldReadRecordsTheKafkaSerializerWrote() throws IOException {
        byte[] bytes;
        try (AvroSerializer<Feedback> kafka = new AvroSerializer<>()) {
            kafka.configure(config, false);
            bytes = kafka.serialize(TOPIC, feedback("f-2"));
        }

        RegistryAvroDeserializationSchema<Feedback> flink =
                ConfluentAvroFormats.deserializer(Feedback.class, config);

        assertThat(flink.deserialize(bytes)).isEqualTo(feedback("f-2"));
    }

    @Test
    void shouldWorkAfterJavaSerializationAsOnATaskManager() throws Exception {
        RegistryAvroSerializationSchema<Feedback> writer =
                InstantiationUtil.clone(
                        ConfluentAvroFormats.serializer(Feedback.class, TOPIC, config));
        RegistryAvroDeserializationSchema<Feedback> reader =
                InstantiationUtil.clone(ConfluentAvroFormats.deserializer(Feedback.class, config));

        assertThat(reader.deserialize(writer.serialize(feedback("f-3"))))
                .isEqualTo(feedback("f-3"));
    }

    @Test
    void shouldNameTheSchemaIdTheRegistryDoesNotKnow() {
        byte[] bytes = ByteBuffer.allocate(6).put((byte) 0).putInt(4242).put((byte) 0).array();
        RegistryAvroDeserializationSchema<Feedback> flink =
                ConfluentAvroFormats.deserializer(Feedback.class, config);

        assertThatThrownBy(() -> flink.deserialize(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("4242");
    }

    @Test
    void shouldRefuseBytesWithoutTheMagicByte() {
        RegistryAvroDeserializationSchema<Feedback> flink =
                ConfluentAvroFormats.deserializer(Feedback.class, config);

        assertThatThrownBy(() -> flink.deserialize(new byte[] {7, 0, 0, 0, 1, 0}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("magic byte");
    }

    @Test
    void shouldOnlyLookUpWhenAutoRegistrationIsOff() {
        config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
        RegistryAvroSerializationSchema<Feedback> flink =
                ConfluentAvroFormats.serializer(Feedback.class, TOPIC, config);

        assertThatThrownBy(() -> flink.serialize(feedback("f-4")))
                .rootCause()
                .hasMessageContaining("feedback-value");
    }

    @Test
    void shouldRefuseAConfigWithoutRegistryUrl() {
        assertThatThrownBy(() -> ConfluentAvroFormats.deserializer(Feedback.class, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
    }

    private static Feedback feedback(String id) {
        return Feedback.newBuilder()
                .setFeedbackId(id)
                .setRequestId("req-" + id)
                .setKind(FeedbackKind.REJECT)
                .setLabel("negative")
                .setTimestampMs(Instant.ofEpochMilli(1_700_000_000_000L))
                .setSource("api")
                .build();
    }
}
