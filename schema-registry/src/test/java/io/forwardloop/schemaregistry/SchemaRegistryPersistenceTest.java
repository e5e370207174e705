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
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryPersistenceTest {
    private static final String COMMENT =
            "{\"type\":\"record\",\"name\":\"Comment\",\"fields\":"
                    + "[{\"name\":\"text\",\"type\":\"string\"}]}";
    private static final String OTHER =
            "{\"type\":\"record\",\"name\":\"Other\",\"fields\":"
                    + "[{\"name\":\"n\",\"type\":\"long\"}]}";

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
    void shouldNotHandOutTheIdOfACorruptJournalLineThatHeldTheHighestId() throws IOException {
        int kept;
        int lost;
        try (SchemaRegistryServer server = startOn(dataDir)) {
            RegistryHttp http = new RegistryHttp(server.url());
            kept = http.registerOk("ratings-value", RATING_V1);
            lost = http.registerOk("comments-value", COMMENT);
        }
        corruptLineWith("comments-value", line -> line.replace("\"schema\":", "\"schema\":{"));

        try (SchemaRegistryServer server = startOn(dataDir)) {
            RegistryHttp http = new RegistryHttp(server.url());
            assertThat(http.get("/schemas/ids/" + lost).errorCode()).isEqualTo(40403);
            int fresh = http.registerOk("ratings-value", RATING_V2);

            assertThat(fresh).isNotIn(kept, lost).isGreaterThan(lost);
        }
    }

    @Test
    void shouldHoldBackAnIdEvenWhenNoIdIsLegibleInTheCorruptLine() throws IOException {
        int lost;
        try (SchemaRegistryServer server = startOn(dataDir)) {
            RegistryHttp http = new RegistryHttp(server.url());
            http.registerOk("ratings-value", RATING_V1);
            lost = http.registerOk("comments-value", COMMENT);
        }
        corruptLineWith("comments-value", line -> "\u0000".repeat(line.length()));

        try (SchemaRegistryServer server = startOn(dataDir)) {
            assertThat(new RegistryHttp(server.url()).registerOk("ratings-value", RATING_V2))
                    .isGreaterThan(lost);
        }
        try (SchemaRegistryServer server = startOn(dataDir)) {
            assertThat(new RegistryHttp(server.url()).registerOk("other-value", OTHER))
                    .isGreaterThan(lost + 1);
        }
    }

    @Test
    void shouldHoldBackTheIdOfALineThatParsesButCannotBeApplied() throws IOException {
        int lost;
        try (SchemaRegistryServer server = startOn(dataDir)) {
            RegistryHttp http = new RegistryHttp(server.url());
            http.registerOk("ratings-value", RATING_V1);
            lost = http.registerOk("comments-value", COMMENT);
        }
        corruptLineWith(
                "comments-value",
                line -> line.replaceAll("\"schema\":\".*\"}$", "\"schema\":\"{\"}"));

        try (SchemaRegistryServer server = startOn(dataDir)) {
            assertThat(new RegistryHttp(server.url()).registerOk("ratings-value", RATING_V2))
                    .isGreaterThan(lost);
        }
    }

    @Test
    void shouldReturnTheGlobalLevelToTheDefaultWhenItIsDeletedAndKeepThatAcrossARestart() {
        try (SchemaRegistryServer server = startOn(dataDir)) {
            RegistryHttp http = new RegistryHttp(server.url());
            http.put("/config", Map.of("compatibility", "FULL"));
            assertThat(http.delete("/config").body().path("compatibilityLevel").asText())
                    .isEqualTo("FULL");
        }
        try (SchemaRegistryServer server = startOn(dataDir)) {
            assertThat(
                            new RegistryHttp(server.url())
                                    .get("/config")
                                    .body()
                                    .path("compatibilityLevel")
                                    .asText())
                    .isEqualTo("BACKWARD");
        }
    }

    /** Rewrites the one journal line that mentions {@code marker} with {@code damage}. */
    private void corruptLineWith(String marker, UnaryOperator<String> damage) throws IOException {
        Path journal = dataDir.resolve("journal.jsonl");
        List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        assertThat(lines).filteredOn(l -> l.contains(marker)).hasSize(1);
        List<String> damaged =
                lines.stream().map(l -> l.contains(marker) ? damage.apply(l) : l).toList();
        Files.write(journal, damaged, StandardCharsets.UTF_8);
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
