package io.forwardloop.platform;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of a service as its command line gives them: a properties file, then {@code key=value}
 * overrides, the later winning.
 *
 * <p>Every service reads the same kind of file (the Helm chart writes one per pod), so the same
 * keys work in a file, on the command line and in the chart's values.
 */
public final class ConfigFiles {

    private ConfigFiles() {}

    /**
     * Reads {@code file} (may be null: no file) and applies {@code overrides} on top.
     *
     * @throws ConfigException naming the file when it is missing or unreadable
     */
    public static Map<String, Object> load(Path file, Map<String, String> overrides) {
        Map<String, Object> settings = new HashMap<>();
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (NoSuchFileException e) {
                throw new ConfigException(
                        "configuration file " + file + " does not exist; pass an existing file");
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(
                        "cannot read configuration file " + file + ": " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(k -> settings.put(k, properties.get(k)));
        }
        if (overrides != null) {
            settings.putAll(overrides);
        }
        return settings;
    }
}
