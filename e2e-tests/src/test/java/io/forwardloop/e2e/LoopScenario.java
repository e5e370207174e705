package io.forwardloop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.datasets.Datasets;
import io.forwardloop.loop.LocalLoop;
import io.forwardloop.loop.LoopReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The end-to-end scenario shared by the embedded and the Testcontainers runs. */
final class LoopScenario {
    static final Duration TRAFFIC = Duration.ofSeconds(100);

    private LoopScenario() {}

    /** A loop on free ports in {@code dir}, with the UCI data cached under {@code target/}. */
    static LocalLoop.Builder loop(Path dir) {
        return LocalLoop.builder()
                .dataDir(dir)
                .datasetFile(dataset())
                .gatewayPort(0)
                .registryPort(0)
                .feedbackDelay(Duration.ofSeconds(1))
                .settleTime(Duration.ofSeconds(45));
    }

    // the data set, fetched once into the build directory; its embeddings are cached next to it
    private static Path dataset() {
        String given = System.getProperty("forwardloop.dataset");
        if (given != null && Files.exists(Path.of(given))) {
            return Path.of(given);
        }
        return Datasets.fetch("uci", Path.of("target", "datasets"));
    }

    /** Runs traffic and checks what the loop must achieve. */
    static LoopReport runAndCheck(LocalLoop loop) throws InterruptedException {
        LoopReport report = loop.run(TRAFFIC, Duration.ofSeconds(10), status -> {});

        // the gateway serves a newer adapter, better on the drifted domains
        assertThat(report.servingVersion()).isGreaterThan(report.initialVersion());
        assertThat(report.finalAccuracy()).isGreaterThan(report.initialAccuracy());

        // every feedback event is accounted for
        assertThat(report.settled()).as("counts settled: %s", report.toJson()).isTrue();
        assertThat(report.feedbackEvents()).isPositive();
        assertThat(report.joined() + report.deadLettered() + report.duplicates())
                .isEqualTo(report.feedbackEvents());
        assertThat(report.heldOut() + report.trainedOn()).isEqualTo(report.joined());
        assertThat(report.heldOut()).isPositive();
        assertThat(report.trainedOn()).isPositive();
        assertThat(report.signals()).isPositive();
        return report;
    }
}
