package io.forwardloop.cli.internal;

import io.forwardloop.platform.EmbeddedPlatform;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the embedded platform keeps its data and which ports it listens on. */
public final class PlatformOptions {
    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = "data",
            description =
                    "Directory for Kafka's log and the registry's journal (default:"
                            + " ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--kafka-port",
            paramLabel = "PORT",
            defaultValue = "9092",
            description =
                    "Port Kafka clients connect to; 0 picks a free one (default:"
                            + " ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(
            names = "--schema-registry-port",
            paramLabel = "PORT",
            defaultValue = "8085",
            description =
                    "Port of the schema registry; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int schemaRegistryPort;

    /** Returns the platform these options describe, not yet started. */
    public EmbeddedPlatform platform() {
        return EmbeddedPlatform.builder()
                .dataDir(dataDir)
                .kafkaPort(kafkaPort)
                .schemaRegistryPort(schemaRegistryPort)
                .build();
    }
}
