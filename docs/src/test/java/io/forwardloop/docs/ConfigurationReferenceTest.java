package io.forwardloop.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.docs.ConfigurationKeys.Component;
import io.forwardloop.docs.ConfigurationKeys.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds {@code docs/configuration.md} to the code: every key the code declares has a row in its
 * component's section with the current type and default, and every key in the reference's tables is
 * declared in the code.
 */
class ConfigurationReferenceTest {
    private static final Path REFERENCE = Path.of("configuration.md");
    private static final Path GENERATED = Path.of("target", "configuration-tables.md");
    private static final Pattern KEY_ROW =
            Pattern.compile("^\\|\\s*`([a-z][a-z0-9]*(?:\\.[a-z0-9]+)+)`\\s*\\|.*");

    private static List<String> lines;

    @BeforeAll
    static void readReference() throws IOException {
        lines = Files.readAllLines(REFERENCE);
        Files.createDirectories(GENERATED.getParent());
        Files.writeString(GENERATED, ConfigurationKeys.markdown());
    }

    @Test
    void shouldHaveOneSectionPerConfigurationClass() {
        assertThat(ConfigurationKeys.all())
                .allSatisfy(
                        component ->
                                assertThat(section(component.source()))
                                        .as("section whose heading names %s", component.source())
                                        .isNotEmpty());
    }

    @Test
    void shouldDocumentEveryDeclaredKeyWithItsTypeAndDefault() {
        for (Component component : ConfigurationKeys.all()) {
            List<String> section = section(component.source());
            for (Key key : component.keys()) {
                assertThat(row(section, key.name()))
                        .as(
                                "row of %s in the section of %s (see %s)",
                                key.name(), component.source(), GENERATED)
                        .isNotNull()
                        .satisfies(
                                row -> {
                                    assertThat(cells(row).get(1)).isEqualTo(key.type());
                                    assertThat(cells(row).get(2)).isEqualTo(key.defaultValue());
                                });
            }
        }
    }

    @Test
    void shouldDocumentOnlyKeysTheCodeDeclares() {
        Set<String> declared =
                ConfigurationKeys.all().stream()
                        .flatMap(c -> c.keys().stream())
                        .map(Key::name)
                        .collect(Collectors.toSet());

        assertThat(documentedKeys()).isNotEmpty().allMatch(declared::contains);
    }

    @Test
    void shouldFormatEveryTableRowWithFiveCells() {
        assertThat(lines.stream().filter(l -> KEY_ROW.matcher(l).matches()))
                .allSatisfy(row -> assertThat(cells(row)).as(row).hasSize(5));
    }

    private static List<String> documentedKeys() {
        List<String> keys = new ArrayList<>();
        for (String line : lines) {
            Matcher m = KEY_ROW.matcher(line);
            if (m.matches()) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }

    /** The lines from the heading that names {@code source} up to the next heading. */
    private static List<String> section(String source) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("#") && lines.get(i).contains("`" + source + "`")) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).startsWith("#")) {
                    end++;
                }
                return lines.subList(i + 1, end);
            }
        }
        return List.of();
    }

    private static String row(List<String> section, String key) {
        return section.stream()
                .filter(l -> l.startsWith("| `" + key + "` |"))
                .findFirst()
                .orElse(null);
    }

    /** The cells of a table row, without the outer pipes; escaped pipes stay inside a cell. */
    private static List<String> cells(String row) {
        String inner = row.trim().substring(1, row.trim().length() - 1);
        return List.of(inner.split("(?<!\\\\)\\|", -1)).stream().map(String::trim).toList();
    }
}
