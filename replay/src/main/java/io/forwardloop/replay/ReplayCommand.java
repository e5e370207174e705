package io.forwardloop.replay;

import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: replays historical inference records and feedback, from files or from a time
 * range of Kafka topics, either republishing them to Kafka at a target rate ({@link Republisher})
 * or training an adapter offline through the signal job in batch mode ({@link ReplayTraining}).
 *
 * <p>Exit codes: 0 done (or interrupted after a checkpoint), 1 the replay failed, 2 bad usage.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Replays historical inference records and feedback from JSONL or Avro container files,"
                + " or from a time range of Kafka topics, and either republishes them to Kafka"
                + " (--mode republish) or runs the signal job in batch mode over them and trains an"
                + " adapter offline (--mode train).",
            "Resumable and idempotent: progress is checkpointed in --work-dir; a second run over"
                    + " the same input sends or changes nothing."
        })
public final class ReplayCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--mode",
            required = true,
            paramLabel = "MODE",
            description = "republish or train.")
    String mode;

    @Option(
            names = "--records",
            arity = "1..*",
            paramLabel = "FILE",
            description = "Inference record files (JSONL, or Avro container files ending .avro).")
    List<Path> records = new ArrayList<>();

    @Option(
            names = "--feedback",
            arity = "1..*",
            paramLabel = "FILE",
            description = "Feedback files (JSONL or .avro).")
    List<Path> feedback = new ArrayList<>();

    @Option(
            names = "--steps",
            paramLabel = "FILE",
            description = "Train mode: an adapter step log file to start from.")
    List<Path> steps = new ArrayList<>();

    @Option(
            names = "--from-kafka",
            description = "Read the input from Kafka between --start and --end instead of files.")
    boolean fromKafka;

    @Option(names = "--start", paramLabel = "INSTANT", description = "Range start (ISO-8601).")
    String start;

    @Option(
            names = "--end",
            paramLabel = "INSTANT",
            description = "Range end, exclusive (ISO-8601).")
    String end;

    @Option(
            names = "--source-records-topic",
            defaultValue = "inference-records",
            description = "Topic of records with --from-kafka (default: ${DEFAULT-VALUE}).")
    String sourceRecordsTopic;

    @Option(
            names = "--source-feedback-topic",
            defaultValue = "feedback",
            description = "Topic of feedback with --from-kafka (default: ${DEFAULT-VALUE}).")
    String sourceFeedbackTopic;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Properties file with connection keys (kafka.bootstrap.servers,"
                            + " schema.registry.url, kafka.security.protocol, ...).")
    Path config;

    @Option(names = "--bootstrap-servers", description = "Overrides kafka.bootstrap.servers.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", description = "Overrides schema.registry.url.")
    String schemaRegistryUrl;

    @Option(
            names = "--raw",
            description = "Republish to raw-inference-records and raw-feedback (validated again).")
    boolean raw;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description =
                    "Records a second; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--chunk-size",
            defaultValue = "500",
            description = "Records between a flush and a checkpoint (default: ${DEFAULT-VALUE}).")
    int chunkSize;

    @Option(
            names = "--max-records",
            defaultValue = "0",
            description = "Stop after this many records this run; 0 for all (resume later).")
    long maxRecords;

    @Option(
            names = "--name",
            defaultValue = "default",
            description = "Replay name; the default work dir is data/replay/NAME.")
    String name;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Checkpoints and outputs.")
    Path workDir;

    @Option(names = "--seed", defaultValue = "42", description = "Train mode: base adapter seed.")
    long seed;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "Train mode: signal-job rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--rank", defaultValue = "1", description = "Train mode: adapter rank.")
    int rank;

    @Option(
            names = "--learning-rate",
            defaultValue = "0",
            description = "Train mode: zeroth-order rate; 0 for 8 / parameter count.")
    double learningRate;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Train mode: a signal job key, e.g. signal.batch.size=8.")
    Map<String, String> jobSettings = new LinkedHashMap<>();

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String chosen = mode.toLowerCase(Locale.ROOT);
        if (!chosen.equals("republish") && !chosen.equals("train")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "unknown --mode '" + mode + "'; use republish or train");
        }
        try {
            Path dir = workDir != null ? workDir : Path.of("data", "replay", name);
            Inputs inputs = inputs(dir);
            return chosen.equals("republish")
                    ? republish(out, inputs, dir)
                    : train(out, inputs, dir);
        } catch (ReplayException | org.apache.kafka.common.config.ConfigException e) {
            spec.commandLine().getErr().println("replay failed: " + e.getMessage());
            return 1;
        }
    }

    private record Inputs(List<Path> records, List<Path> feedback) {}

    private Inputs inputs(Path dir) {
        if (!fromKafka) {
            if (start != null || end != null) {
                throw usage("--start and --end need --from-kafka");
            }
            return new Inputs(records, feedback);
        }
        if (!records.isEmpty() || !feedback.isEmpty()) {
            throw usage("give either --from-kafka or --records/--feedback files, not both");
        }
        if (start == null || end == null) {
            throw usage("--from-kafka needs --start and --end");
        }
        KafkaRangeExport export =
                new KafkaRangeExport(
                        instant("--start", start), instant("--end", end), dir, connection());
        return new Inputs(
                List.of(export(export, topic(sourceRecordsTopic, Topics.INFERENCE_RECORDS))),
                List.of(export(export, topic(sourceFeedbackTopic, Topics.FEEDBACK))));
    }

    private <V extends org.apache.avro.specific.SpecificRecordBase> Path export(
            KafkaRangeExport export, io.forwardloop.schemas.Topic<String, V> topic) {
        try (Bar bar = new Bar("Exporting " + topic.name() + " (offsets)", quiet)) {
            return export.export(topic, bar);
        }
    }

    private static <V extends org.apache.avro.specific.SpecificRecord>
            io.forwardloop.schemas.Topic<String, V> topic(
                    String topicName, io.forwardloop.schemas.Topic<String, V> like) {
        if (topicName.equals(like.name())) {
            return like;
        }
        return new io.forwardloop.schemas.Topic<>(
                topicName,
                like.keySerde(),
                like.valueType(),
                like.cleanupPolicy(),
                like.defaultPartitions(),
                like.extraConfigs());
    }

    private Instant instant(String option, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw usage(
                    option
                            + " '"
                            + value
                            + "' is not an ISO-8601 instant like 2026-12-01T00:00:00Z");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private ClusterConnection connection() {
        Map<String, Object> values = new HashMap<>();
        if (config != null) {
            values.putAll(properties(config));
        }
        if (bootstrapServers != null) {
            values.put(ClusterConnection.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (schemaRegistryUrl != null) {
            values.put(ClusterConnection.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        }
        return ClusterConnection.from(values);
    }

    private static Map<String, Object> properties(Path file) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new ReplayException("cannot read --config " + file + ": " + e.getMessage(), e);
        }
        Map<String, Object> values = new HashMap<>();
        props.forEach((k, v) -> values.put(k.toString(), v));
        return values;
    }

    private int republish(PrintWriter out, Inputs inputs, Path dir) {
        Republisher.Settings settings =
                new Republisher.Settings(
                        inputs.records(), inputs.feedback(), raw, rate, chunkSize, maxRecords, dir);
        Republisher.Result result;
        Thread worker = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> stopAndWait(worker, finished), "replay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Bar bar = new Bar("Republishing", quiet)) {
            result = new Republisher(settings, connection()).run(bar);
        } finally {
            finished.countDown();
            removeHook(hook);
        }
        if (result.wasAlreadyComplete()) {
            out.printf(
                    "Nothing to send: all %d records were sent before (%s)%n", result.total(), dir);
        } else {
            out.printf(
                    "Sent %d records; %d of %d sent in all%s%n",
                    result.sent(),
                    result.alreadySent() + result.sent(),
                    result.total(),
                    result.complete() ? ", complete" : "; run again to resume");
        }
        return 0;
    }

    // on Ctrl-C: interrupt the replay, which flushes and checkpoints, and let it finish
    private static void stopAndWait(Thread worker, CountDownLatch finished) {
        worker.interrupt();
        try {
            finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
    }

    private int train(PrintWriter out, Inputs inputs, Path dir) {
        ReplayTraining.Settings settings =
                new ReplayTraining.Settings(
                        inputs.records(),
                        inputs.feedback(),
                        steps,
                        dir,
                        seed,
                        rounds,
                        rank,
                        learningRate,
                        jobSettings);
        ReplayTraining.Result result;
        try (Bar bar = new Bar("Training (records x rounds)", quiet)) {
            result = new ReplayTraining(settings).run(bar);
        }
        Map<String, Object> report = result.report();
        out.printf(
                "%s adapter %s version %s, sha256 %s; holdout accuracy %s -> %s on %s examples%n",
                result.alreadyComplete() ? "Already trained:" : "Trained",
                report.get("adapter"),
                report.get("version"),
                result.adapterDigest(),
                report.getOrDefault("initial_accuracy", "n/a"),
                report.getOrDefault("final_accuracy", "n/a"),
                report.get("holdout_examples"));
        out.printf("Report: %s%n", dir.resolve("train").resolve("report.json"));
        return 0;
    }

    /** A progress bar with rate and ETA on the terminal, opened when the work is known. */
    private static final class Bar implements ReplayProgress, AutoCloseable {
        private final String task;
        private final boolean quiet;
        private ProgressBar bar;

        Bar(String task, boolean quiet) {
            this.task = task;
            this.quiet = quiet;
        }

        @Override
        public void started(long total, long done) {
            if (!quiet) {
                bar =
                        new ProgressBarBuilder()
                                .setTaskName(task)
                                .setInitialMax(total)
                                .setStyle(ProgressBarStyle.ASCII)
                                .showSpeed()
                                .startsFrom(done, java.time.Duration.ZERO)
                                .build();
            }
        }

        @Override
        public void advanced(long done) {
            if (bar != null) {
                bar.stepTo(done);
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    /** Runs the command on its own. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ReplayCommand()).execute(args));
    }
}
