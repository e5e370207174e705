package io.forwardloop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
    @TempDir Path dir;

    @Test
    void shouldLetOverridesWinOverTheFile() throws Exception {
        Path file = dir.resolve("service.properties");
        Files.writeString(file, "a.b=1\nc.d = two\n");

        Map<String, Object> settings = ConfigFiles.load(file, Map.of("a.b", "3"));

        assertThat(settings).containsEntry("a.b", "3").containsEntry("c.d", "two").hasSize(2);
    }

    @Test
    void shouldReadOnlyOverridesWithoutAFile() {
        assertThat(ConfigFiles.load(null, Map.of("x.y", "z")))
                .containsExactly(Map.entry("x.y", "z"));
    }

    @Test
    void shouldNameAMissingFile() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> ConfigFiles.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.properties")
                .hasMessageContaining("does not exist");
    }
}
