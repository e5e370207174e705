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
 * platform.
 */
public final class SignalsBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(SignalsBenchmark.class);
    static final int BATCH = 16;
    static final double EPSILON = 1e-3;

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

    /** The numbers of one run. */
    public record Result(
            int examples,
            double recycledPerSecond,
            double backbonePerSecond,
            double lagP50Ms,
            double lagP99Ms) {
        public double ratio() {
            return recycledPerSecond / backbonePerSecond;
        }

        public String table() {
            return String.format(
                    Locale.ROOT,
                    "%-44s %14s%n%-44s %14.1f%n%-44s %14.2f%n%-44s %14.0fx%n"
                            + "%-44s %14.1f%n%-44s %14.1f%n",
                    "signals (batch " + BATCH + ", 1 core)",
                    "value",
                    "recycled activations, signals/s/core",
                    recycledPerSecond,
                    "re-running the backbone, signals/s/core",
                    backbonePerSecond,
                    "ratio (goal >= 100x)",
                    ratio(),
                    "feedback -> first signal lag p50, ms",
                    lagP50Ms,
                    "feedback -> first signal lag p99, ms",
                    lagP99Ms);
        }

        public void writeJson(Path file) throws IOException {
            String json =
                    String.format(
                            Locale.ROOT,
                            "{\"benchmark\":\"signals\",\"encoder\":\"%s\",\"dataset\":\"uci\","
                                    + "\"examples\":%d,\"batch_size\":%d,"
                                    + "\"recycled_signals_per_second_per_core\":%.3f,"
                                    + "\"backbone_signals_per_second_per_core\":%.3f,"
                                    + "\"ratio\":%.2f,\"lag_p50_ms\":%.2f,\"lag_p99_ms\":%.2f}%n",
                            EncoderId.BGE_SMALL_Q.id(),
                            examples,
                            BATCH,
                            recycledPerSecond,
                            backbonePerSecond,
                            ratio(),
                            lagP50Ms,
                            lagP99Ms);
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
            double recycled = recycledRate(params, sample, activations, spec);
            double backbone = backboneRate(params, sample, encoder, spec);
            double[] lag = new LagMeasurement(dataDir, lagSamples).run(params, activations);
            return new Result(sample.size(), recycled, backbone, lag[0], lag[1]);
        }
    }

    private static List<String> distinct(List<LabeledText> sample) {
        return sample.stream().map(LabeledText::label).distinct().sorted().toList();
    }

    // perturbation pairs on cached activations: what the signal job does
    private static double recycledRate(
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
        return signals / ((System.nanoTime() - start) / 1e9);
    }

    // the naive MeZO way: both perturbed evaluations embed the batch's texts again
    private static double backboneRate(
            AdapterParameters params, List<LabeledText> sample, Encoder encoder, AdapterSpec spec) {
        long signals = 0;
        long start = System.nanoTime();
        for (int from = 0; from + BATCH <= sample.size() && signals < 12; from += BATCH) {
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
        return signals / ((System.nanoTime() - start) / 1e9);
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
