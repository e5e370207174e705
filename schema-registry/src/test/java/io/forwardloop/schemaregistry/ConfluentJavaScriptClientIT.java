package io.forwardloop.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.serde.AvroDeserializer;
import io.forwardloop.schemas.serde.AvroSerdeConfig;
import io.forwardloop.schemas.serde.AvroSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Checks the registry server and the Java serdes against an implementation written elsewhere:
 * Confluent's JavaScript client ({@code @confluentinc/schemaregistry}, pinned in {@code
 * src/test/js/package.json}). Needs node and npm; runs {@code npm ci} when the client is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfluentJavaScriptClientIT {
    private static final String TOPIC = "feedback";
    private static final String USER_INFO = "loop:s3cret";

    private SchemaRegistryServer server;
    private Map<String, Object> serdeConfig;
    private List<Feedback> writtenByJava;
    private int javaId;
    private JsonNode fromNode;

    @BeforeAll
    void exchangeRecordsWithTheJavaScriptClient() throws Exception {
        NodeProject node = NodeProject.inThisModule();
        node.ensureInstalled();
        server = SchemaRegistryServer.builder().basicAuth(USER_INFO).build().start();
        serdeConfig =
                Map.of(
                        AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                        server.url(),
                        AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
                        "USER_INFO",
                        AvroSerdeConfig.BASIC_AUTH_USER_INFO,
                        USER_INFO);
        writtenByJava =
                List.of(
                        feedback("fb-java-1", FeedbackKind.LABEL, "positive"),
                        feedback("fb-java-2", FeedbackKind.ACCEPT, null));
        List<byte[]> javaBytes = serialize(writtenByJava);
        javaId =
                new RegistryHttp(server.url(), USER_INFO)
                        .get("/subjects/feedback-value/versions/latest")
                        .body()
                        .path("id")
                        .asInt();
        fromNode = RegistryHttp.MAPPER.readTree(node.run("interop.mjs", task(javaBytes)));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void javaShouldReadRecordsTheJavaScriptSerializerWrote() {
        List<Feedback> read = new ArrayList<>();
        try (AvroDeserializer<Feedback> deserializer = new AvroDeserializer<>(Feedback.class)) {
            deserializer.configure(serdeConfig, false);
            fromNode.path("produced")
                    .forEach(m -> read.add(deserializer.deserialize(TOPIC, decode(m))));
        }

        assertThat(read)
                .containsExactly(
                        feedback("fb-js-1", FeedbackKind.REJECT, "negative"),
                        feedback("fb-js-2", FeedbackKind.ACCEPT, null));
    }

    @Test
    void javaScriptShouldReadRecordsTheJavaSerializerWrote() {
        JsonNode consumed = fromNode.path("consumed");

        assertThat(consumed).hasSize(2);
        assertThat(consumed.get(0).path("feedback_id").asText()).isEqualTo("fb-java-1");
        assertThat(consumed.get(0).path("kind").asText()).isEqualTo("LABEL");
        assertThat(consumed.get(0).path("label").asText()).isEqualTo("positive");
        assertThat(consumed.get(0).path("timestamp_ms").asLong()).isEqualTo(1_700_000_000_123L);
        assertThat(consumed.get(1).path("feedback_id").asText()).isEqualTo("fb-java-2");
        assertThat(consumed.get(1).path("label").isNull()).isTrue();
    }

    @Test
    void javaScriptShouldSeeTheSchemaIdsJavaSees() {
        assertThat(fromNode.path("id").asInt()).isEqualTo(javaId);
        assertThat(fromNode.path("copyId").asInt()).isEqualTo(javaId);
        fromNode.path("produced")
                .forEach(m -> assertThat(WireHeader.schemaId(decode(m))).isEqualTo(javaId));
    }

    private List<byte[]> serialize(List<Feedback> records) {
        try (AvroSerializer<Feedback> serializer = new AvroSerializer<>()) {
            serializer.configure(serdeConfig, false);
            return records.stream().map(r -> serializer.serialize(TOPIC, r)).toList();
        }
    }

    private String task(List<byte[]> javaBytes) {
        ObjectNode task = RegistryHttp.MAPPER.createObjectNode();
        task.put("url", server.url()).put("userInfo", USER_INFO).put("topic", TOPIC);
        task.put("schema", Feedback.getClassSchema().toString());
        task.put("copySubject", "feedback-copy-value");
        ArrayNode produce = task.putArray("produce");
        produce.add(jsRecord("fb-js-1", "REJECT", "negative"));
        produce.add(jsRecord("fb-js-2", "ACCEPT", null));
        ArrayNode consume = task.putArray("consume");
        javaBytes.forEach(b -> consume.add(Base64.getEncoder().encodeToString(b)));
        return task.toString();
    }

    private static ObjectNode jsRecord(String id, String kind, String label) {
        ObjectNode record = RegistryHttp.MAPPER.createObjectNode();
        record.put("feedback_id", id).put("request_id", "req-" + id).put("kind", kind);
        record.put("label", label).put("timestamp_ms", 1_700_000_000_123L).put("source", "js");
        return record;
    }

    private static Feedback feedback(String id, FeedbackKind kind, String label) {
        return Feedback.newBuilder()
                .setFeedbackId(id)
                .setRequestId("req-" + id)
                .setKind(kind)
                .setLabel(label)
                .setTimestampMs(Instant.ofEpochMilli(1_700_000_000_123L))
                .setSource(id.startsWith("fb-js") ? "js" : "java")
                .build();
    }

    private static byte[] decode(JsonNode base64) {
        return Base64.getDecoder().decode(base64.asText());
    }

    /** Reads the Confluent header: magic byte 0, then the schema id. */
    private static final class WireHeader {
        static int schemaId(byte[] message) {
            assertThat(message[0]).as("magic byte").isZero();
            return java.nio.ByteBuffer.wrap(message, 1, 4).getInt();
        }
    }
}
