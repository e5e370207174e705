package io.forwardloop.schemaregistry;

import static io.forwardloop.schemaregistry.TestSchemas.RATING_V1;
import static io.forwardloop.schemaregistry.TestSchemas.RATING_V1_SPACED;
import static io.forwardloop.schemaregistry.TestSchemas.RATING_V2;
import static io.forwardloop.schemaregistry.TestSchemas.RATING_WITH_WEIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.schemaregistry.RegistryHttp.Answer;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryServerTest {
    private SchemaRegistryServer server;
    private RegistryHttp http;

    @BeforeEach
    void start() {
        server = SchemaRegistryServer.builder().port(0).build().start();
        http = new RegistryHttp(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldReturnTheSameIdWhenTheSameSchemaIsRegisteredAgain() {
        int id = http.registerOk("ratings-value", RATING_V1);

        assertThat(http.registerOk("ratings-value", RATING_V1_SPACED)).isEqualTo(id);
        assertThat(http.get("/subjects/ratings-value/versions").body())
                .hasSize(1)
                .first()
                .satisfies(v -> assertThat(v.asInt()).isEqualTo(1));
    }

    @Test
    void shouldReuseTheGlobalIdForTheSameSchemaUnderAnotherSubject() {
        int id = http.registerOk("ratings-value", RATING_V1);

        assertThat(http.registerOk("ratings-copy-value", RATING_V1)).isEqualTo(id);
        assertThat(http.get("/schemas/ids/" + id + "/versions").body().toString())
                .contains("\"subject\":\"ratings-value\"", "\"subject\":\"ratings-copy-value\"");
    }

    @Test
    void shouldAddAVersionForACompatibleEvolution() {
        int first = http.registerOk("ratings-value", RATING_V1);
        int second = http.registerOk("ratings-value", RATING_V2);

        Answer latest = http.get("/subjects/ratings-value/versions/latest");
        assertThat(second).isNotEqualTo(first);
        assertThat(latest.body().path("version").asInt()).isEqualTo(2);
        assertThat(latest.body().path("id").asInt()).isEqualTo(second);
        assertThat(new Schema.Parser().parse(latest.body().path("schema").asText()))
                .isEqualTo(new Schema.Parser().parse(RATING_V2));
        assertThat(latest.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
    }

    @Test
    void shouldRefuseAnIncompatibleSchemaNamingTheField() {
        http.registerOk("ratings-value", RATING_V1);

        Answer refused = http.register("ratings-value", RATING_WITH_WEIGHT);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(409);
        assertThat(refused.message()).contains("ratings-value", "Rating.weight");
    }

    @Test
    void shouldRefuseSchemaTypesOtherThanAvro() {
        Answer refused =
                http.post(
                        "/subjects/ratings-value/versions",
                        Map.of("schema", "{\"type\":\"object\"}", "schemaType", "JSON"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.errorCode()).isEqualTo(42201);
        assertThat(refused.message()).contains("JSON", "only AVRO");
    }

    @Test
    void shouldRefuseAnInvalidSchema() {
        Answer refused =
                http.register("ratings-value", "{\"type\":\"record\",\"name\":\"NoFields\"}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.errorCode()).isEqualTo(42201);
        assertThat(refused.message()).contains("Invalid schema");
    }

    @Test
    void shouldAnswerMissingThingsWithConfluentErrorCodes() {
        int id = http.registerOk("ratings-value", RATING_V1);

        assertError(http.get("/subjects/nothing-value/versions"), 404, 40401, "nothing-value");
        assertError(http.get("/subjects/ratings-value/versions/7"), 404, 40402, "Version 7");
        assertError(http.get("/schemas/ids/" + (id + 100)), 404, 40403, "" + (id + 100));
        assertError(http.get("/subjects/ratings-value/versions/zero"), 422, 42202, "'zero'");
        assertError(http.get("/no/such/path"), 404, 404, "404");
    }

    @Test
    void shouldLookUpASchemaUnderASubject() {
        int id = http.registerOk("ratings-value", RATING_V1);

        Answer found = http.post("/subjects/ratings-value", Map.of("schema", RATING_V1_SPACED));

        assertThat(found.body().path("id").asInt()).isEqualTo(id);
        assertThat(found.body().path("version").asInt()).isEqualTo(1);
        assertThat(found.body().path("subject").asText()).isEqualTo("ratings-value");
        assertError(
                http.post("/subjects/ratings-value", Map.of("schema", RATING_V2)),
                404,
                40403,
                "Schema not found");
        assertError(
                http.post("/subjects/nothing-value", Map.of("schema", RATING_V1)),
                404,
                40401,
                "nothing-value");
    }

    @Test
    void shouldServeSubjectsVersionsAndRawSchemas() {
        int id = http.registerOk("ratings-value", RATING_V1);
        http.registerOk("ratings-value", RATING_V2);

        assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"ratings-value\"]");
        assertThat(http.get("/subjects/ratings-value/versions").body().toString())
                .isEqualTo("[1,2]");
        assertThat(
                        http.get("/subjects/ratings-value/versions/1/schema")
                                .body()
                                .path("name")
                                .asText())
                .isEqualTo("Rating");
        assertThat(http.get("/schemas/ids/" + id).body().path("schema").asText())
                .isEqualTo(new Schema.Parser().parse(RATING_V1).toString());
        assertThat(http.get("/").body().toString()).isEqualTo("{}");
        assertThat(http.get("/health").status()).isEqualTo(200);
    }

    @Test
    void shouldReadAndSetCompatibilityLevels() {
        assertThat(http.get("/config").body().path("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
        assertError(http.get("/config/ratings-value"), 404, 40408, "ratings-value");

        Answer set = http.put("/config/ratings-value", Map.of("compatibility", "none"));

        assertThat(set.body().path("compatibility").asText()).isEqualTo("NONE");
        assertThat(http.get("/config/ratings-value").body().path("compatibilityLevel").asText())
                .isEqualTo("NONE");
        http.registerOk("ratings-value", RATING_V1);
        assertThat(http.register("ratings-value", RATING_WITH_WEIGHT).status()).isEqualTo(200);
        assertError(
                http.put("/config", Map.of("compatibility", "SIDEWAYS")), 422, 42203, "SIDEWAYS");
        assertThat(http.get("/config").body().path("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
    }

    @Test
    void shouldTestCompatibilityWithoutRegistering() {
        http.registerOk("ratings-value", RATING_V1);
        String path = "/compatibility/subjects/ratings-value/versions/latest?verbose=true";

        Answer bad = http.post(path, Map.of("schema", RATING_WITH_WEIGHT));
        Answer good = http.post(path, Map.of("schema", RATING_V2));

        assertThat(bad.body().path("is_compatible").asBoolean()).isFalse();
        assertThat(bad.body().path("messages").toString()).contains("Rating.weight");
        assertThat(good.body().path("is_compatible").asBoolean()).isTrue();
        assertThat(http.get("/subjects/ratings-value/versions").body()).hasSize(1);
    }

    @Test
    void shouldSoftDeleteASubject() {
        int id = http.registerOk("ratings-value", RATING_V1);

        assertThat(http.delete("/subjects/ratings-value").body().toString()).isEqualTo("[1]");

        assertError(http.get("/subjects/ratings-value/versions"), 404, 40401, "ratings-value");
        assertThat(http.get("/subjects").body()).isEmpty();
        assertThat(http.get("/subjects?deleted=true").body().toString()).contains("ratings-value");
        assertThat(http.registerOk("ratings-value", RATING_V1)).isEqualTo(id);
        assertThat(http.get("/subjects/ratings-value/versions").body().toString()).isEqualTo("[2]");
    }

    @Test
    void shouldNameThePortThatIsTaken() {
        SchemaRegistryServer second = SchemaRegistryServer.builder().port(server.port()).build();

        assertThatThrownBy(second::start)
                .isInstanceOf(SchemaRegistryServerException.class)
                .hasMessageContaining(":" + server.port());
    }

    private static void assertError(Answer answer, int status, int errorCode, String message) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.errorCode()).as(answer.toString()).isEqualTo(errorCode);
        assertThat(answer.message()).contains(message);
    }
}
