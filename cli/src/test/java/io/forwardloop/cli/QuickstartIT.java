package io.forwardloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuickstartIT {
    @TempDir Path dataDir;

    @Test
    void shouldStartReportAndStopThePlatformInTheDataDir() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = ForwardLoop.commandLine();
        commandLine.setOut(new PrintWriter(out));

        int exitCode =
                commandLine.execute(
                        "quickstart",
                        "--data-dir",
                        dataDir.toString(),
                        "--kafka-port",
                        "0",
                        "--schema-registry-port",
                        "0",
                        "--minutes",
                        "0");

        assertThat(exitCode).isZero();
        assertThat(out.toString())
                .contains("Kafka bootstrap servers  127.0.0.1:")
                .contains("Schema registry          http://127.0.0.1:")
                .contains(Topics.FEEDBACK.name())
                .endsWith("Stopped." + System.lineSeparator());
        assertThat(dataDir.resolve("kafka/meta.properties")).exists();
        assertThat(Files.isDirectory(dataDir.resolve("schema-registry"))).isTrue();
    }

    @Test
    void shouldCreateTopicsOnAnExternalClusterIdempotently() {
        try (EmbeddedPlatform platform =
                EmbeddedPlatform.builder().dataDir(dataDir).build().start()) {
            StringWriter out = new StringWriter();
            CommandLine commandLine = ForwardLoop.commandLine();
            commandLine.setOut(new PrintWriter(out));

            int exitCode =
                    commandLine.execute(
                            "topics", "create", "--bootstrap-servers", platform.bootstrapServers());

            assertThat(exitCode).isZero();
            assertThat(out.toString())
                    .contains("created [], already present [")
                    .contains(Topics.ADAPTER_EVENTS.name());
        }
    }
}
