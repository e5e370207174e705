package io.forwardloop.bench.signals;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.adapter.LowRankClassifier;
import io.forwardloop.adapter.ZerothOrder;
import io.forwardloop.datasets.Datasets;
import io.forwardloop.datasets.LabeledText;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.encoder.EncoderId;
import io.forwardloop.ingest.encoder.Encoders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Measures zeroth-order signals per second per core on recycled activations (the low-rank adapter
 * over cached 384-d BGE-small-q activations) against the same signals computed the naive MeZO way
 * (the batch's texts embedded again by the backbone for each of the two perturbed evaluations), on
 * UCI sentences, in one run; and the lag from a feedback record to its first signal on the embedded
 * platform, under exactly-once and at-least-once sinks.
 */
public final class SignalsBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(SignalsBenchmark.class);
    static final int BATCH = 16;
    static final double EPSILON = 1e-3;
    static final long BACKBONE_SECONDS = 20;
    static final long BACKBONE_MIN_SIGNALS = 30;

    private final Path dataDir;
    private final int lagSamples;

    public SignalsBenchmark(Path dataDir, int lagSamples) {
        this.dataDir = dataDir;
        this.lagSamples = lagSamples;
    }

    /** Runs the benchmark: {@code --report FILE [--data-dir DIR] [--lag-samples N]}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchSignalsCommand()).execute(args));
    }

    /**
     * The numbers of one run: signal rates on one core, and the feedback-to-signal lag as a {@code
     * read_committed} reader sees it under each delivery guarantee of the job ({p50, p99} in ms).
     */
    public record Result(
            int examples,
            long recycledSignals,
            double recycledPerSecond,
            long backboneSignals,
            double backbonePerSecond,
            double[] lagExactlyOnceMs,
            double[] lagAtLeastOnceMs) {
        public double ratio() {
            return recycledPerSecond / backbonePerSecond;
        }

        public String table() {
            StringBuilder out = new StringBuilder();
            row(out, "signals (batch " + BATCH + ", 1 core)", "value");
            row(out, "recycled activations, signals/s/core", fmt("%.1f", recycledPerSecond));
            row(out, "re-running the backbone, signals/s/core", fmt("%.2f", backbonePerSecond));
            row(out, "ratio (goal >= 100x)", fmt("%.0fx", ratio()));
            row(
                    out,
                    "lag p50, exactly-once (read_committed), ms",
                    fmt("%.1f", lagExactlyOnceMs[0]));
            row(
                    out,
                    "lag p99, exactly-once (read_committed), ms",
                    fmt("%.1f", lagExactlyOnceMs[1]));
            row(out, "lag p50, at-least-once, ms", fmt("%.1f", lagAtLeastOnceMs[0]));
            row(out, "lag p99, at-least-once, ms", fmt("%.1f", lagAtLeastOnceMs[1]));
            return out.toString();
        }

        private static void row(StringBuilder out, String name, String value) {
            out.append(String.format(Locale.ROOT, "%-48s %14s%n", name, value));
        }

        private static String fmt(String format, double value) {
            return String.format(Locale.ROOT, format, value);
        }

        public void writeJson(Path file) throws IOException {
            String json =
                    String.format(
                            Locale.ROOT,
                            "{\"benchmark\":\"signals\",\"encoder\":\"%s\",\"dataset\":\"uci\","
                                    + "\"examples\":%d,\"batch_size\":%d,"
                                    + "\"recycled_signals\":%d,"
                                    + "\"recycled_signals_per_second_per_core\":%.3f,"
                                    + "\"backbone_signals\":%d,"
                                    + "\"backbone_signals_per_second_per_core\":%.3f,"
                                    + "\"ratio\":%.2f,"
                                    + "\"checkpoint_interval_ms\":%d,"
                                    + "\"lag_exactly_once_p50_ms\":%.2f,"
                                    + "\"lag_exactly_once_p99_ms\":%.2f,"
                                    + "\"lag_at_least_once_p50_ms\":%.2f,"
                                    + "\"lag_at_least_once_p99_ms\":%.2f}%n",
                            EncoderId.BGE_SMALL_Q.id(),
                            examples,
                            BATCH,
                            recycledSignals,
                            recycledPerSecond,
                            backboneSignals,
                            backbonePerSecond,
                            ratio(),
                            LagMeasurement.CHECKPOINT_INTERVAL_MS,
                            lagExactlyOnceMs[0],
                            lagExactlyOnceMs[1],
                            lagAtLeastOnceMs[0],
                            lagAtLeastOnceMs[1]);
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, json);
        }
    }

    /** Runs every measurement. */
    public Result run() throws Exception {
        List<LabeledText> texts = Datasets.load("uci", dataDir);
        List<LabeledText> sample = texts.subList(0, Math.min(512, texts.size()));
        LOG.info("Loaded {} UCI sentences, using {}", texts.size(), sample.size());
        try (Encoder encoder = Encoders.create(EncoderId.BGE_SMALL_Q)) {
            float[][] activations = encoder.embed(sample.stream().map(LabeledText::text).toList());
            AdapterSpec spec =
                    AdapterSpec.lowRankClassifier(encoder.dimension(), 8, distinct(sample)).build();
            AdapterParameters params = AdapterParameters.initialize(spec, 1L);
            Rate recycled = recycledRate(params, sample, activations, spec);
            Rate backbone = backboneRate(params, sample, encoder, spec);
            LOG.info(
                    "Signals/s on one core: {} recycled ({} signals), {} re-running the backbone"
                            + " ({} signals)",
                    recycled.perSecond(),
                    recycled.signals(),
                    backbone.perSecond(),
                    backbone.signals());
            double[] exactlyOnce =
                    new LagMeasurement(dataDir, lagSamples, "exactly-once")
                            .run(params, activations);
            double[] atLeastOnce =
                    new LagMeasurement(dataDir, lagSamples, "at-least-once")
                            .run(params, activations);
            return new Result(
                    sample.size(),
                    recycled.signals(),
                    recycled.perSecond(),
                    backbone.signals(),
                    backbone.perSecond(),
                    exactlyOnce,
                    atLeastOnce);
        }
    }

    private static List<String> distinct(List<LabeledText> sample) {
        return sample.stream().map(LabeledText::label).distinct().sorted().toList();
    }

    /** Signals computed and their rate. */
    private record Rate(long signals, double perSecond) {}

    // perturbation pairs on cached activations: what the signal job does
    private static Rate recycledRate(
            AdapterParameters params,
            List<LabeledText> sample,
            float[][] activations,
            AdapterSpec spec) {
        List<LabeledBatch> batches = batches(sample, activations, spec);
        long signals = 0;
        long start = System.nanoTime();
        long deadline = start + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (LabeledBatch batch : batches) {
                ZerothOrder.perturbationPair(params, batch, signals++, EPSILON);
            }
        }
        return new Rate(signals, signals / ((System.nanoTime() - start) / 1e9));
    }

    // the naive MeZO way: both perturbed evaluations embed the batch's texts again; timed for
    // BACKBONE_SECONDS and at least BACKBONE_MIN_SIGNALS signals, cycling over the sample
    private static Rate backboneRate(
            AdapterParameters params, List<LabeledText> sample, Encoder encoder, AdapterSpec spec) {
        long signals = 0;
        int batches = sample.size() / BATCH;
        long start = System.nanoTime();
        long deadline = start + BACKBONE_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < deadline || signals < BACKBONE_MIN_SIGNALS) {
            int from = (int) (signals % batches) * BATCH;
            List<LabeledText> slice = sample.subList(from, from + BATCH);
            List<String> texts = slice.stream().map(LabeledText::text).toList();
            int[] labels = slice.stream().mapToInt(t -> spec.labels().indexOf(t.label())).toArray();
            long seed = signals++;
            ZerothOrder.perturbationPair(
                    params,
                    seed,
                    EPSILON,
                    p ->
                            new LowRankClassifier(p)
                                    .meanCrossEntropy(
                                            new LabeledBatch(encoder.embed(texts), labels)));
        }
        return new Rate(signals, signals / ((System.nanoTime() - start) / 1e9));
    }

    private static List<LabeledBatch> batches(
            List<LabeledText> sample, float[][] activations, AdapterSpec spec) {
        List<LabeledBatch> batches = new ArrayList<>();
        for (int from = 0; from + BATCH <= sample.size(); from += BATCH) {
            float[][] acts = new float[BATCH][];
            int[] labels = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                acts[i] = activations[from + i];
                labels[i] = spec.labels().indexOf(sample.get(from + i).label());
            }
            batches.add(new LabeledBatch(acts, labels));
        }
        return batches;
    }
}
