package io.forwardloop.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleasedSchemasCheckTest {

    private static final String KIND =
            "{\"type\": \"enum\", \"name\": \"Kind\", \"namespace\": \"t\", \"symbols\": [\"A\","
                    + " \"B\"], \"default\": \"A\"}";

    @TempDir Path tmp;

    private static String event(String extraFields) {
        return "{\"type\": \"record\", \"name\": \"Event\", \"namespace\": \"t\", \"fields\": ["
                + "{\"name\": \"id\", \"type\": \"string\"}, {\"name\": \"kind\", \"type\":"
                + " \"Kind\"}"
                + extraFields
                + "]}";
    }

    private Path dir(String name, String... files) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(dir.resolve(files[i]), files[i + 1]);
        }
        return dir;
    }

    private Path released(String version, String... files) throws IOException {
        return dir("released/" + version, files).getParent();
    }

    @Test
    void shouldPassTheRealSchemasAgainstTheReleasedOnes() {
        assertThat(
                        ReleasedSchemasCheck.check(
                                Path.of("src/main/avro"),
                                Path.of("released"),
                                CompatibilityLevel.BACKWARD))
                .isEmpty();
    }

    @Test
    void shouldPassAddedFieldWithDefaultAndANewSchema() throws IOException {
        Path root = released("0.1.0", "Event.avsc", event(""), "Kind.avsc", KIND);
        Path current =
                dir(
                        "current",
                        "Event.avsc",
                        event(
                                ", {\"name\": \"note\", \"type\": [\"null\", \"string\"],"
                                        + " \"default\": null}"),
                        "Kind.avsc",
                        KIND,
                        "Other.avsc",
                        "{\"type\": \"fixed\", \"name\": \"Other\", \"size\": 4}");
        assertThat(ReleasedSchemasCheck.check(current, root, CompatibilityLevel.BACKWARD))
                .isEmpty();
    }

    @Test
    void shouldFailOnNewFieldWithoutDefaultNamingIt() throws IOException {
        Path root = released("0.1.0", "Event.avsc", event(""), "Kind.avsc", KIND);
        Path current =
                dir(
                        "current",
                        "Event.avsc",
                        event(", {\"name\": \"note\", \"type\": \"string\"}"),
                        "Kind.avsc",
                        KIND);
        assertThatThrownBy(
                        () ->
                                ReleasedSchemasCheck.main(
                                        new String[] {current.toString(), root.toString()}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 incompatible schema change")
                .hasMessageContaining("Event.note: READER_FIELD_MISSING_DEFAULT_VALUE");
    }

    @Test
    void shouldFailOnChangedTypeNamingTheField() throws IOException {
        Path root = released("0.1.0", "Event.avsc", event(""), "Kind.avsc", KIND);
        Path current =
                dir(
                        "current",
                        "Event.avsc",
                        event("")
                                .replace(
                                        "\"id\", \"type\": \"string\"",
                                        "\"id\", \"type\": \"int\""),
                        "Kind.avsc",
                        KIND);
        assertThat(ReleasedSchemasCheck.check(current, root, CompatibilityLevel.BACKWARD))
                .singleElement()
                .asString()
                .contains("Event.id: TYPE_MISMATCH");
    }

    @Test
    void shouldFailOnRemovedFieldWithoutDefaultUnderForward() throws IOException {
        Path root = released("0.1.0", "Event.avsc", event(""), "Kind.avsc", KIND);
        String withoutId = event("").replace("{\"name\": \"id\", \"type\": \"string\"}, ", "");
        Path current = dir("current", "Event.avsc", withoutId, "Kind.avsc", KIND);
        assertThat(ReleasedSchemasCheck.check(current, root, CompatibilityLevel.FORWARD))
                .singleElement()
                .asString()
                .contains("Event.id: READER_FIELD_MISSING_DEFAULT_VALUE");
    }

    @Test
    void shouldFailOnRemovedOrRenamedSchema() throws IOException {
        Path root = released("0.1.0", "Event.avsc", event(""), "Kind.avsc", KIND);
        Path current =
                dir(
                        "current",
                        "Event.avsc",
                        event("").replace("\"Event\"", "\"Happening\""),
                        "Kind.avsc",
                        KIND);
        assertThat(ReleasedSchemasCheck.check(current, root, CompatibilityLevel.BACKWARD))
                .singleElement()
                .asString()
                .contains("t.Event: SCHEMA_REMOVED", "0.1.0");
    }

    @Test
    void shouldCompareAgainstTheHighestReleaseNumerically() throws IOException {
        Path root = released("0.9.0", "Event.avsc", event(""), "Kind.avsc", KIND);
        String withNote = event(", {\"name\": \"note\", \"type\": \"string\", \"default\": \"\"}");
        released("0.10.0", "Event.avsc", withNote, "Kind.avsc", KIND);
        assertThat(ReleasedSchemasCheck.highestRelease(root)).contains(root.resolve("0.10.0"));
        Path current =
                dir(
                        "current",
                        "Event.avsc",
                        withNote.replace(", \"default\": \"\"", ""),
                        "Kind.avsc",
                        KIND);
        assertThat(ReleasedSchemasCheck.check(current, root, CompatibilityLevel.FORWARD)).isEmpty();
    }

    @Test
    void shouldPassWhenNothingWasReleased() throws IOException {
        Path current = dir("current", "Event.avsc", event(""), "Kind.avsc", KIND);
        assertThat(
                        ReleasedSchemasCheck.check(
                                current, tmp.resolve("none"), CompatibilityLevel.BACKWARD))
                .isEmpty();
    }

    @Test
    void shouldNameAFileThatRefersToAnUndefinedType() throws IOException {
        Path current = dir("current", "Event.avsc", event(""));
        assertThatThrownBy(() -> ReleasedSchemasCheck.parseDirectory(current))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Event.avsc")
                .hasMessageContaining("t.Kind");
    }

    @Test
    void shouldRejectAReleaseDirectoryThatIsNotAVersion() throws IOException {
        Path root = released("latest", "Kind.avsc", KIND);
        assertThatThrownBy(() -> ReleasedSchemasCheck.highestRelease(root))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latest")
                .hasMessageContaining("0.1.0");
    }
}
