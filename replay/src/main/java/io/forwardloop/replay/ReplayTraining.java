package io.forwardloop.replay;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.flink.HistoricalFiles;
import io.forwardloop.flink.SignalJobConfig;
import io.forwardloop.flink.SignalJobRunner;
import io.forwardloop.replay.internal.Fingerprint;
import io.forwardloop.replay.internal.Json;
import io.forwardloop.replay.internal.RecordReader;
import io.forwardloop.replay.internal.SignalFiles;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.trainer.Evaluation;
import io.forwardloop.trainer.LearningRateSchedule;
import io.forwardloop.trainer.ZerothOrderSignal;
import io.forwardloop.trainer.ZerothOrderTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an adapter offline from historical inference records and feedback: the signal job runs in
 * batch mode over the files, and the trainer's {@link ZerothOrderTrainer} applies the zeroth-order
 * signals it produced (MeZO, Malladi et al. 2023).
 *
 * <p>Training runs in rounds. Each round writes a step log holding one snapshot of the current
 * adapter, runs {@link SignalJobRunner#replay} over the inputs with that log (parallelism 1, output
 * to JSONL files under the work directory), and applies the round's signals in signal-id order.
 * Without {@code --steps} the first round starts from a seeded base adapter (a low-rank classifier
 * over the records' activation width and labels); with it, from the adapter the step log rebuilds.
 *
 * <p>Deterministic and idempotent: the same input contents and settings give the same adapter
 * digest. Each finished round is checkpointed in {@code train/state.json}, so an interrupted run
 * resumes after its last finished round (a round cut short runs again from its start); progress is
 * told in records read by the signal job, the input's records once per round; a finished run leaves
 * {@code train/report.json}, and a run over the same inputs and settings then changes nothing. A
 * work directory holding a run of other inputs or settings is refused.
 */
public final class ReplayTraining {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayTraining.class);

    private final Settings settings;
    private final Path dir;

    /**
     * What to train on and how.
     *
     * @param records files of inference records
     * @param feedback files of feedback
     * @param steps step log files to start from; empty to start from a seeded base
     * @param workDir where rounds, checkpoints, the adapter and the report go
     * @param seed the seed of the base adapter
     * @param rounds signal-job runs, each followed by applying its signals
     * @param rank rank of the base low-rank classifier
     * @param learningRate the zeroth-order rate; 0 for 8 / the adapter's parameter count
     * @param jobSettings signal job keys ({@link SignalJobConfig}) that override the defaults
     */
    public record Settings(
            List<Path> records,
            List<Path> feedback,
            List<Path> steps,
            Path workDir,
            long seed,
            int rounds,
            int rank,
            double learningRate,
            Map<String, String> jobSettings) {
        /** Validates every field. */
        public Settings {
            records = List.copyOf(records);
            feedback = List.copyOf(feedback);
            steps = List.copyOf(steps);
            jobSettings = new TreeMap<>(jobSettings);
            if (records.isEmpty() || feedback.isEmpty()) {
                throw new ReplayException(
                        "training needs --records and --feedback files (or --from-kafka)");
            }
            if (rounds < 1 || rank < 1 || !(learningRate >= 0)) {
                throw new ReplayException(
                        "--rounds and --rank must be at least 1 and --learning-rate at least 0,"
                                + " got "
                                + rounds
                                + ", "
                                + rank
                                + ", "
                                + learningRate);
            }
        }
    }

    /**
     * The outcome.
     *
     * @param alreadyComplete whether an earlier run had finished and nothing was changed
     * @param report the report's fields, as written to {@code train/report.json}
     */
    public record Result(boolean alreadyComplete, Map<String, Object> report) {
        /** The SHA-256 of the trained adapter's parameters. */
        public String adapterDigest() {
            return String.valueOf(report.get("adapter_sha256"));
        }
    }

    /**
     * The progress stored after each round.
     *
     * @param fingerprint the inputs' and settings' fingerprint
     * @param roundsDone rounds finished
     * @param version the adapter version after them
     * @param digest the adapter's digest after them
     * @param rounds per round: signals, applied, dropped and the job's counts
     */
    public record State(
            String fingerprint,
            int roundsDone,
            long version,
            String digest,
            List<Map<String, Object>> rounds) {}

    public ReplayTraining(Settings settings) {
        this.settings = settings;
        this.dir = settings.workDir().resolve("train");
    }

    /** Trains, resuming after the last finished round; see the class comment. */
    public Result run(ReplayProgress progress) {
        requireFiles();
        String fingerprint = fingerprint();
        Path reportFile = dir.resolve("report.json");
        State state = loadState(fingerprint);
        if (Files.exists(reportFile) && state != null && state.roundsDone() == settings.rounds()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> report = Json.read(reportFile, Map.class);
            LOG.info("Training replay in {} already complete; nothing changed", dir);
            return new Result(true, report);
        }
        InferenceRecord first = firstRecord();
        String adapter = first.getAdapterName().toString();
        List<String> labels = first.getLabels().stream().map(CharSequence::toString).toList();
        SignalFiles.Versioned current = start(state, first, adapter, labels);
        List<Map<String, Object>> rounds = state == null ? new ArrayList<>() : state.rounds();
        long records = countRecords();
        progress.started(settings.rounds() * records, rounds.size() * records);
        for (int round = rounds.size() + 1; round <= settings.rounds(); round++) {
            long before = (round - 1) * records;
            current =
                    round(
                            round,
                            adapter,
                            current,
                            rounds,
                            counts -> progress.advanced(before + recordsIn(counts, records)));
            Json.writeAtomically(
                    dir.resolve("state.json"),
                    new State(
                            fingerprint,
                            round,
                            current.version(),
                            current.parameters().digest(),
                            rounds));
            progress.advanced(round * records);
        }
        Map<String, Object> report = finish(fingerprint, adapter, labels, current, rounds);
        Json.writeAtomically(reportFile, report);
        return new Result(false, report);
    }

    // the inference records of the inputs: each round's signal job reads them all
    private long countRecords() {
        long records = 0;
        for (Path file : settings.records()) {
            records += RecordReader.count(file, InferenceRecord.class, RecordReader.Position.START);
        }
        return records;
    }

    private static long recordsIn(Map<String, Long> counts, long records) {
        return Math.min(records, counts.getOrDefault("records-in", 0L));
    }

    private void requireFiles() {
        for (List<Path> files :
                List.of(settings.records(), settings.feedback(), settings.steps())) {
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    throw new ReplayException(
                            "input file " + file + " does not exist or is not a regular file");
                }
            }
        }
    }

    private String fingerprint() {
        Fingerprint fingerprint = new Fingerprint();
        settings.records().forEach(f -> fingerprint.addFile("records", f));
        settings.feedback().forEach(f -> fingerprint.addFile("feedback", f));
        settings.steps().forEach(f -> fingerprint.addFile("steps", f));
        return fingerprint
                .add("seed", settings.seed())
                .add("rounds", settings.rounds())
                .add("rank", settings.rank())
                .add("learning_rate", settings.learningRate())
                .add("job", settings.jobSettings())
                .hex();
    }

    private State loadState(String fingerprint) {
        Path file = dir.resolve("state.json");
        if (!Files.exists(file)) {
            return null;
        }
        State state = Json.read(file, State.class);
        if (!fingerprint.equals(state.fingerprint())) {
            throw new ReplayException(
                    "work dir "
                            + settings.workDir()
                            + " holds a training replay of other inputs or settings (fingerprint "
                            + state.fingerprint()
                            + ", this run "
                            + fingerprint
                            + "); use another --work-dir");
        }
        return state;
    }

    private InferenceRecord firstRecord() {
        for (Path file : settings.records()) {
            try (RecordReader<InferenceRecord> reader =
                    RecordReader.open(file, InferenceRecord.class, RecordReader.Position.START)) {
                InferenceRecord record = reader.next();
                if (record != null) {
                    return record;
                }
            }
        }
        throw new ReplayException(
                "the --records files " + settings.records() + " hold no inference record");
    }

    private SignalFiles.Versioned start(
            State state, InferenceRecord first, String adapter, List<String> labels) {
        if (state != null && state.roundsDone() > 0) {
            Path file = roundDir(state.roundsDone()).resolve("adapter.bin");
            AdapterParameters params = AdapterParameters.fromBytes(readBytes(file));
            if (!params.digest().equals(state.digest())) {
                throw new ReplayException(
                        file + " does not match the digest in state.json; remove " + dir);
            }
            LOG.info("Resuming training replay after round {}", state.roundsDone());
            return new SignalFiles.Versioned(params, state.version());
        }
        if (!settings.steps().isEmpty()) {
            return SignalFiles.rebuild(settings.steps(), adapter);
        }
        int width = first.getActivation().size();
        AdapterSpec spec = AdapterSpec.lowRankClassifier(width, settings.rank(), labels).build();
        return new SignalFiles.Versioned(AdapterParameters.initialize(spec, settings.seed()), 0);
    }

    private SignalFiles.Versioned round(
            int round,
            String adapter,
            SignalFiles.Versioned current,
            List<Map<String, Object>> rounds,
            Consumer<Map<String, Long>> jobProgress) {
        // run the signal job over the inputs, against a snapshot of the current adapter
        Path roundDir = roundDir(round);
        Path out = roundDir.resolve("out");
        deleteTree(out);
        Path steps = roundDir.resolve("steps.jsonl");
        SignalFiles.writeSnapshot(steps, adapter, current.version(), current.parameters());
        Map<String, Long> counts =
                SignalJobRunner.replay(jobConfig(), files(steps, out), jobProgress);

        // apply its signals
        List<ZerothOrderSignal> signals = SignalFiles.signals(out.resolve("zo-signals"), adapter);
        ZerothOrderTrainer trainer = trainer(current, signals.size());
        signals.forEach(trainer::apply);

        // checkpoint the round
        writeBytes(roundDir.resolve("adapter.bin"), trainer.parameters().toBytes());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("round", round);
        summary.put("signals", signals.size());
        summary.put("applied", trainer.signalsApplied());
        summary.put("dropped_stale", trainer.droppedStale());
        summary.put("version", trainer.version());
        summary.put("job", new TreeMap<>(counts));
        rounds.add(summary);
        LOG.info(
                "Round {}: {} signals applied, adapter {} at version {}",
                round,
                trainer.signalsApplied(),
                adapter,
                trainer.version());
        return new SignalFiles.Versioned(trainer.parameters().copy(), trainer.version());
    }

    private ZerothOrderTrainer trainer(SignalFiles.Versioned current, int signals) {
        double rate = learningRate(current.parameters());
        return new ZerothOrderTrainer(
                current.parameters(),
                current.version(),
                new ZerothOrderTrainer.Settings(
                        rate,
                        LearningRateSchedule.CONSTANT,
                        Math.max(1, signals),
                        0,
                        1,
                        Math.max(0, signals)));
    }

    private double learningRate(AdapterParameters params) {
        return settings.learningRate() > 0
                ? settings.learningRate()
                : 8.0 / params.spec().parameterCount();
    }

    private SignalJobConfig jobConfig() {
        Map<String, Object> values = new TreeMap<>();
        values.put(SignalJobConfig.PARALLELISM, 1);
        values.put(SignalJobConfig.JOB_NAME, "forwardloop-replay");
        values.put(SignalJobConfig.CHECKPOINT_INTERVAL_MS, 1_000L);
        values.putAll(settings.jobSettings());
        try {
            return SignalJobConfig.from(values);
        } catch (RuntimeException e) {
            throw new ReplayException("bad signal job setting: " + e.getMessage(), e);
        }
    }

    private HistoricalFiles files(Path steps, Path out) {
        return HistoricalFiles.builder()
                .inferenceRecords(settings.records().toArray(Path[]::new))
                .feedback(settings.feedback().toArray(Path[]::new))
                .adapterSteps(steps)
                .outputDirectory(out)
                .build();
    }

    private Map<String, Object> finish(
            String fingerprint,
            String adapter,
            List<String> labels,
            SignalFiles.Versioned trained,
            List<Map<String, Object>> rounds) {
        AdapterParameters params = trained.parameters();
        Path adapterFile = dir.resolve(adapter + ".bin");
        Path onnxFile = dir.resolve(adapter + ".onnx_adapter");
        writeBytes(adapterFile, params.toBytes());
        OnnxAdapterFile.write(onnxFile, params, (int) trained.version(), 1);
        LabeledBatch holdout =
                SignalFiles.holdout(roundDir(1).resolve("out/holdout"), adapter, labels);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("fingerprint", fingerprint);
        report.put("adapter", adapter);
        report.put("adapter_kind", params.spec().kind().name());
        report.put("adapter_sha256", params.digest());
        report.put("base_sha256", base(adapter).digest());
        report.put("version", trained.version());
        report.put("adapter_file", adapterFile.toString());
        report.put("onnx_adapter_file", onnxFile.toString());
        report.put("seed", settings.seed());
        report.put("learning_rate", learningRate(params));
        report.put("holdout_examples", holdout.size());
        if (holdout.size() > 0) {
            report.put("initial_accuracy", initialAccuracy(holdout, adapter));
            report.put("final_accuracy", Evaluation.of(params, holdout).accuracy());
        }
        report.put("rounds", rounds);
        return report;
    }

    private double initialAccuracy(LabeledBatch holdout, String adapter) {
        return Evaluation.of(base(adapter), holdout).accuracy();
    }

    // the adapter the first round started from
    private AdapterParameters base(String adapter) {
        Path steps = roundDir(1).resolve("steps.jsonl");
        return SignalFiles.rebuild(List.of(steps), adapter).parameters();
    }

    private Path roundDir(int round) {
        return dir.resolve("round-" + round);
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ReplayException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeBytes(Path file, byte[] bytes) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(temp, bytes);
            Files.move(
                    temp,
                    file,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ReplayException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new ReplayException("cannot clear " + root + ": " + e.getMessage(), e);
        }
    }
}
