package io.forwardloop.cli.internal;

import io.forwardloop.platform.EmbeddedPlatform;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/** Tells the user where each part of a running platform listens. */
public final class PlatformReport {
    private PlatformReport() {}

    /** Prints the addresses, the data directory and the topics of {@code platform}. */
    public static void print(PrintWriter out, EmbeddedPlatform platform) {
        out.printf("  Kafka bootstrap servers  %s%n", platform.bootstrapServers());
        out.printf("  Schema registry          %s%n", platform.schemaRegistryUrl());
        out.printf("  Data directory           %s%n", platform.dataDir());
        out.printf("  Kafka cluster id         %s%n", platform.clusterId());
        out.printf("  Topics                   %s%n", platform.topics());
        out.flush();
    }

    /** Prints how long the command keeps running. */
    public static void printRunning(PrintWriter out, Optional<Duration> duration) {
        out.println(
                duration.map(d -> "Running for " + d.toSeconds() + " s.")
                        .orElse("Running; press Ctrl-C to stop."));
        out.flush();
    }
}
