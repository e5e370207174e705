package io.forwardloop.platform;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The settings options every service command takes, as a picocli mixin: {@code --config FILE}, a
 * properties file of the service's keys and the cluster connection keys, then repeated {@code --set
 * key=value} overrides on top.
 *
 * <pre>{@code
 * @Mixin ServiceOptions options;
 * ...
 * Map<String, Object> settings = options.load();
 * }</pre>
 */
public final class ServiceOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "A properties file of the service's keys and the cluster connection keys"
                            + " (kafka.*, schema.registry.*).")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Overrides one key; repeatable.")
    Map<String, String> overrides = new HashMap<>();

    /**
     * The settings: the file's keys, then the overrides.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the file when it is missing or
     *     unreadable
     */
    public Map<String, Object> load() {
        return ConfigFiles.load(config, overrides);
    }
}
