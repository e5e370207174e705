package io.forwardloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuickstartIT {
    @TempDir Path dataDir;

    @Test
    void shouldRunTheWholeLoopReportAndStop() throws Exception {
        Path dataset = dataDir.resolve("tiny.jsonl");
        Files.write(dataset, tinyDataset());
        Path report = dataDir.resolve("report.json");
        StringWriter out = new StringWriter();
        CommandLine commandLine = ForwardLoop.commandLine();
        commandLine.setOut(new PrintWriter(out));

        int exitCode =
                commandLine.execute(
                        "quickstart",
                        "--data-dir",
                        dataDir.toString(),
                        "--dataset",
                        dataset.toString(),
                        "--report",
                        report.toString(),
                        "--seconds",
                        "0",
                        "--gateway-port",
                        "0",
                        "--registry-port",
                        "0",
                        "--kafka-port",
                        "0",
                        "--schema-registry-port",
                        "0");

        assertThat(exitCode).isZero();
        assertThat(out.toString())
                .contains("Dashboard           http://127.0.0.1:")
                .contains("accuracy on the evaluation set")
                .endsWith("Stopped." + System.lineSeparator());
        assertThat(Files.readString(report))
                .contains("\"initial_accuracy\"")
                .contains("\"serving_version\" : 1");
    }

    private static List<String> tinyDataset() {
        List<String> lines = new ArrayList<>();
        String[] good = {"great", "wonderful", "excellent", "lovely", "superb", "fantastic"};
        String[] bad = {"awful", "terrible", "horrible", "dreadful", "poor", "disappointing"};
        for (String domain : List.of("amazon", "imdb", "yelp")) {
            for (int i = 0; i < good.length; i++) {
                lines.add(line("It was " + good[i] + " " + domain + " " + i, "positive", domain));
                lines.add(line("It was " + bad[i] + " " + domain + " " + i, "negative", domain));
            }
        }
        return lines;
    }

    private static String line(String text, String label, String domain) {
        return "{\"text\":\""
                + text
                + "\",\"label\":\""
                + label
                + "\",\"domain\":\""
                + domain
                + "\"}";
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
