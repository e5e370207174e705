package io.forwardloop.cli;

import io.forwardloop.cli.internal.StopSignal;
import io.forwardloop.loop.LocalLoop;
import io.forwardloop.loop.LoopReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the whole loop on this machine: Kafka, the schema registry, the model registry with its
 * dashboard, the signal job, the trainer and a gateway, with production traffic from the UCI data
 * set; a status line every two seconds, a summary at the end and optionally a JSON report.
 */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description =
                "Runs the whole ForwardLoop loop on this machine and plays traffic through it: the"
                        + " first adapter learns from the amazon sentences of the UCI data set,"
                        + " then imdb and yelp sentences arrive as production requests with"
                        + " delayed feedback.")
public final class QuickstartCommand implements Callable<Integer> {
    private static final String CLEAR_LINE = "\r\033[2K";

    @Mixin QuickstartOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Duration duration = options.duration();
        out.println("Starting ForwardLoop (first run: fetching the data set and embedding it)...");
        out.flush();
        try (StopSignal stop = StopSignal.install();
                LocalLoop loop = options.loop().start()) {
            printStarted(out, loop, duration);
            Thread stopper = watch(stop, loop);
            LoopReport report =
                    loop.run(
                            duration,
                            Duration.ofSeconds(2),
                            status -> {
                                out.print(CLEAR_LINE + status.line());
                                out.flush();
                            });
            stopper.interrupt();
            out.println();
            out.println(report.summary());
            if (options.report != null) {
                report.write(options.report);
                out.println("Report written to " + options.report);
            }
            out.println("Stopping.");
        }
        out.println("Stopped.");
        return 0;
    }

    private static void printStarted(PrintWriter out, LocalLoop loop, Duration duration) {
        out.println("ForwardLoop quickstart is up:");
        out.println("  Gateway             " + loop.gatewayUrl());
        out.println("  Model registry      " + loop.registryUrl());
        out.println("  Dashboard           " + loop.dashboardUrl());
        if (loop.registryToken() != null) {
            out.println("  Registry token      " + loop.registryToken());
        }
        out.println(
                "Playing traffic for "
                        + duration.toSeconds()
                        + " s; Ctrl-C stops earlier and still reports.");
        out.flush();
    }

    // Ctrl-C: end the run early so it still settles and reports
    private static Thread watch(StopSignal stop, LocalLoop loop) {
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                stop.await(Optional.empty());
                                loop.stop();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "quickstart-stop");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The options of the quickstart. */
    static final class QuickstartOptions {
        @Option(
                names = "--minutes",
                paramLabel = "N",
                defaultValue = "4",
                description = "Minutes of traffic (default: ${DEFAULT-VALUE}).")
        long minutes;

        @Option(names = "--seconds", hidden = true, description = "Seconds of traffic.")
        Long seconds;

        @Option(names = "--report", paramLabel = "OUT.json", description = "Write a JSON report.")
        Path report;

        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                defaultValue = ".forwardloop/quickstart",
                description =
                        "Runs, the data set and cached embeddings (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(
                names = "--dataset",
                paramLabel = "FILE",
                description = "A JSONL file (text, label, domain) instead of fetching UCI.")
        Path dataset;

        @Option(
                names = "--gateway-port",
                defaultValue = "8080",
                description = "Gateway port; 0 picks one (default: ${DEFAULT-VALUE}).")
        int gatewayPort;

        @Option(
                names = "--registry-port",
                defaultValue = "8081",
                description = "Model registry port; 0 picks one (default: ${DEFAULT-VALUE}).")
        int registryPort;

        @Option(
                names = "--kafka-port",
                defaultValue = "9092",
                description = "Kafka port; 0 picks one (default: ${DEFAULT-VALUE}).")
        int kafkaPort;

        @Option(
                names = "--schema-registry-port",
                defaultValue = "8085",
                description = "Schema registry port; 0 picks one (default: ${DEFAULT-VALUE}).")
        int schemaRegistryPort;

        @Option(
                names = "--encoder",
                defaultValue = "bge-small-q",
                description = "Encoder id (default: ${DEFAULT-VALUE}).")
        String encoder;

        @Option(
                names = "--feedback-share",
                defaultValue = "0.8",
                description = "Share of requests with feedback (default: ${DEFAULT-VALUE}).")
        double feedbackShare;

        @Option(
                names = "--feedback-delay-seconds",
                defaultValue = "2",
                description =
                        "Median feedback delay; delays are log-normal, capped at 5 minutes"
                                + " (default: ${DEFAULT-VALUE}).")
        double feedbackDelaySeconds;

        @Option(
                names = "--reject-share",
                defaultValue = "0.2",
                description = "Share of wrong answers rejected (default: ${DEFAULT-VALUE}).")
        double rejectShare;

        @Option(
                names = "--noise-share",
                defaultValue = "0.05",
                description = "Share of feedback labels flipped (default: ${DEFAULT-VALUE}).")
        double noiseShare;

        @Option(
                names = "--seed",
                defaultValue = "7",
                description = "Seed of traffic and training (default: ${DEFAULT-VALUE}).")
        long seed;

        Duration duration() {
            long value = seconds != null ? seconds : minutes * 60;
            if (value < 0) {
                throw new IllegalArgumentException("--minutes must be 0 or more, was " + minutes);
            }
            return Duration.ofSeconds(value);
        }

        LocalLoop loop() {
            return LocalLoop.builder()
                    .dataDir(dataDir)
                    .datasetFile(dataset)
                    .gatewayPort(gatewayPort)
                    .registryPort(registryPort)
                    .kafkaPort(kafkaPort)
                    .schemaRegistryPort(schemaRegistryPort)
                    .encoderId(encoder)
                    .feedbackShare(feedbackShare)
                    .feedbackDelay(Duration.ofMillis(Math.round(feedbackDelaySeconds * 1000)))
                    .rejectShare(rejectShare)
                    .noiseShare(noiseShare)
                    .seed(seed)
                    .build();
        }
    }
}
