package io.forwardloop.schemaregistry;

import static io.forwardloop.schemaregistry.TestSchemas.RATING_V1;
import static io.forwardloop.schemaregistry.TestSchemas.RATING_V2;
import static io.forwardloop.schemaregistry.TestSchemas.RATING_WITH_WEIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryPersistenceTest {
    @TempDir Path dataDir;

    private SchemaRegistryServer startOn(Path dir) {
        return SchemaRegistryServer.builder().port(0).dataDir(dir).build().start();
    }

    @Test
    void shouldKeepIdsVersionsAndConfigAcrossARestart() {
        int first;
        int second;
        try (SchemaRegistryServer server = startOn(dataDir)) {
            RegistryHttp http = new RegistryHttp(server.url());
            first = http.registerOk("ratings-value", RATING_V1);
            second = http.registerOk("ratings-value", RATING_V2);
            http.put("/config/other-value", Map.of("compatibility", "FULL"));
        }

        try (SchemaRegistryServer server = startOn(dataDir)) {
            RegistryHttp http = new RegistryHttp(server.url());
            assertThat(http.registerOk("ratings-value", RATING_V1)).isEqualTo(first);
            assertThat(http.get("/subjects/ratings-value/versions/2").body().path("id").asInt())
                    .isEqualTo(second);
            assertThat(http.get("/config/other-value").body().path("compatibilityLevel").asText())
                    .isEqualTo("FULL");
            assertThat(http.registerOk("fresh-value", RATING_WITH_WEIGHT)).isGreaterThan(second);
        }
    }

    @Test
    void shouldIgnoreOnlyTheCorruptLineOfTheJournal() throws IOException {
        try (SchemaRegistryServer server = startOn(dataDir)) {
            new RegistryHttp(server.url()).registerOk("ratings-value", RATING_V1);
        }
        Files.writeString(
                dataDir.resolve("journal.jsonl"),
                "{\"type\":\"schema\",\"subj",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        try (SchemaRegistryServer server = startOn(dataDir)) {
            RegistryHttp http = new RegistryHttp(server.url());
            assertThat(http.get("/subjects/ratings-value/versions").body().toString())
                    .isEqualTo("[1]");
            http.registerOk("ratings-value", RATING_V2);
        }
        try (SchemaRegistryServer server = startOn(dataDir)) {
            assertThat(
                            new RegistryHttp(server.url())
                                    .get("/subjects/ratings-value/versions")
                                    .body()
                                    .toString())
                    .isEqualTo("[1,2]");
        }
    }

    @Test
    void shouldRefuseASecondServerOnTheSameDataDirectory() {
        SchemaRegistryServer first = startOn(dataDir);
        try {
            assertThatThrownBy(() -> startOn(dataDir))
                    .isInstanceOf(SchemaRegistryServerException.class)
                    .hasMessageContaining(dataDir.toString())
                    .hasMessageContaining("in use");
        } finally {
            first.close();
        }
    }
}
