package io.forwardloop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.datasets.Datasets;
import io.forwardloop.flink.SignalJobConfig;
import io.forwardloop.loop.FeedbackAccount;
import io.forwardloop.loop.LocalLoop;
import io.forwardloop.loop.LoopReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The end-to-end scenario shared by the embedded and the Testcontainers runs. */
final class LoopScenario {
    private static final Logger LOG = LoggerFactory.getLogger(LoopScenario.class);
    static final Duration TRAFFIC = Duration.ofSeconds(100);

    /** The least number of evaluation sentences the loop must gain; see the module README. */
    static final int MIN_SENTENCES_GAINED = 3;

    private LoopScenario() {}

    /** A loop on free ports in {@code dir}, with the UCI data cached under {@code target/}. */
    static LocalLoop.Builder loop(Path dir) {
        return LocalLoop.builder()
                .dataDir(dir)
                .datasetFile(dataset())
                .gatewayPort(0)
                .registryPort(0)
                .requestsPerSecond(20)
                // a median of 1 s with a tail past the join wait and the gateway's request TTL,
                // so that late and expired feedback occur in every run
                .feedbackDelay(Duration.ofSeconds(1))
                .feedbackDelaySpread(1.5)
                .feedbackDelayCap(Duration.ofSeconds(40))
                .requestTtl(Duration.ofSeconds(25))
                .set(SignalJobConfig.FEEDBACK_WAIT_MS, 15_000L)
                .drainTime(Duration.ofSeconds(45))
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
        String json = report.toJson();
        LOG.info("Loop report: {}", json);

        // the gateway serves a newer adapter, better on the drifted domains by a margin
        assertThat(report.servingVersion()).as(json).isGreaterThan(report.initialVersion());
        long gained =
                Math.round(
                        (report.finalAccuracy() - report.initialAccuracy())
                                * report.evaluationSentences());
        assertThat(gained)
                .as("sentences gained of %d: %s", report.evaluationSentences(), json)
                .isGreaterThanOrEqualTo(MIN_SENTENCES_GAINED);

        // every feedback event is accounted for, with the signal job's own counts
        FeedbackAccount feedback = report.feedback();
        assertThat(report.settled()).as("counts settled: %s", json).isTrue();
        assertThat(feedback.imbalances()).as(json).isEmpty();
        assertThat(feedback.feedbackEvents()).isPositive();
        assertThat(feedback.heldOut()).isPositive();
        assertThat(feedback.trainedOn()).isPositive();
        // the heavy tail reaches past the join wait and past the gateway's request TTL
        assertThat(feedback.deadLetteredLate()).as(json).isPositive();
        assertThat(feedback.feedbackExpired()).as(json).isPositive();
        assertThat(report.signals()).isPositive();
        assertThat(report.replaySignals()).isPositive();
        return report;
    }
}
