package io.forwardloop.bench.trainer;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.ingest.encoder.EncoderId;
import io.forwardloop.trainer.OfflineDataset;
import io.forwardloop.trainer.OfflineTraining;
import io.forwardloop.trainer.TrainingMethod;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The trainer quality benchmark: zeroth-order, Forward-Forward and the exact-gradient reference on
 * the same held-out split of each data set and encoder, with learning curves and the trainer's
 * retained heap.
 */
public final class TrainerBenchmark {
    private TrainerBenchmark() {}

    /** One data set, encoder and method. */
    public record Row(
            String dataset,
            String encoder,
            String method,
            double accuracy,
            double gapToReferencePoints,
            long steps,
            double seconds,
            int trainExamples,
            int testExamples,
            Map<String, Object> hyperparameters) {}

    /** Runs every method on one data set and encoder; returns rows and curves. */
    static List<Row> run(
            String dataset,
            EncoderId encoder,
            Path dataDir,
            double testFraction,
            long seed,
            List<LearningCurve> curves,
            PrintWriter out) {
        Path file = OfflineDataset.resolve(dataset, dataDir);
        OfflineDataset data =
                OfflineDataset.load(file, encoder, dataDir, testFraction, seed, (done, all) -> {});
        Map<TrainingMethod, OfflineTraining.Result> results = new LinkedHashMap<>();
        for (TrainingMethod method :
                List.of(TrainingMethod.BP, TrainingMethod.ZO, TrainingMethod.FF)) {
            LearningCurve curve = LearningCurve.of(method.id());
            OfflineTraining.Result result =
                    OfflineTraining.run(
                            method,
                            data.train(),
                            data.test(),
                            data.labels(),
                            seed,
                            OfflineTraining.Options.defaults(),
                            recorder(curve, data.test()));
            curves.add(curve);
            results.put(method, result);
            out.printf(
                    "  %s %s %s: accuracy %.4f, %d steps, %.1f s%n",
                    dataset,
                    encoder.id(),
                    method.id(),
                    result.accuracy(),
                    result.steps(),
                    result.seconds());
            out.flush();
        }
        double reference = results.get(TrainingMethod.BP).accuracy();
        List<Row> rows = new ArrayList<>();
        results.forEach(
                (method, result) ->
                        rows.add(
                                new Row(
                                        dataset,
                                        encoder.id(),
                                        method.id(),
                                        result.accuracy(),
                                        100 * (reference - result.accuracy()),
                                        result.steps(),
                                        result.seconds(),
                                        data.train().size(),
                                        data.test().size(),
                                        result.hyperparameters())));
        return rows;
    }

    // records test accuracy at each progress call; evaluation time is excluded from the run's time
    private static io.forwardloop.trainer.ProgressListener recorder(
            LearningCurve curve, LabeledBatch test) {
        long start = System.nanoTime();
        long[] excluded = {0};
        return (signals, total, params) -> {
            long from = System.nanoTime();
            double seconds = (from - start - excluded[0]) / 1e9;
            double accuracy = accuracy(params, test);
            curve.points().add(new LearningCurve.Point(signals, seconds, accuracy));
            excluded[0] += System.nanoTime() - from;
        };
    }

    private static double accuracy(AdapterParameters params, LabeledBatch test) {
        return OfflineTraining.accuracy(params, test);
    }

    /** Runs the benchmark from the command line; see {@link BenchTrainerCommand}. */
    public static void main(String[] args) throws IOException {
        System.exit(new CommandLine(new BenchTrainerCommand()).execute(args));
    }
}
