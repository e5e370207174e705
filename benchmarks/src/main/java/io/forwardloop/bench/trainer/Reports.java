package io.forwardloop.bench.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats the benchmark's tables and its markdown page. */
final class Reports {
    private Reports() {}

    static String table(List<TrainerBenchmark.Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(
                "| data set | encoder | method | accuracy | gap to bp (points) | steps | seconds"
                        + " |\n");
        out.append("|---|---|---|---:|---:|---:|---:|\n");
        for (TrainerBenchmark.Row row : rows) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %s | %.4f | %+.2f | %d | %.1f |%n",
                            row.dataset(),
                            row.encoder(),
                            row.method(),
                            row.accuracy(),
                            row.gapToReferencePoints(),
                            row.steps(),
                            row.seconds()));
        }
        return out.toString();
    }

    static String heapTable(List<HeapMeasurement.Result> heap) {
        StringBuilder out = new StringBuilder();
        out.append(
                "| signals and holdout examples | adapter bytes | optimiser retained bytes | x"
                        + " adapter | with holdout window, bytes | share of adapter + window"
                        + " bound |\n");
        out.append("|---:|---:|---:|---:|---:|---:|\n");
        for (HeapMeasurement.Result result : heap) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %d | %d | %.1f | %d | %.2f |%n",
                            result.signals(),
                            result.adapterBytes(),
                            result.retainedBytes(),
                            result.multipleOfAdapter(),
                            result.withHoldoutBytes(),
                            result.shareOfBound()));
        }
        return out.toString();
    }

    static void writeMarkdown(
            Path file,
            String table,
            List<HeapMeasurement.Result> heap,
            Map<String, String> images,
            String command)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Trainer benchmark\n\n");
        md.append("Zeroth-order (zo, MeZO-SGD on perturbation pairs), Forward-Forward (ff) and the")
                .append(" exact-gradient reference (bp, Adam with L2 chosen on a validation split)")
                .append(" trained with default settings on the same stratified held-out split of")
                .append(" each data set; gap = bp accuracy minus the method's, in points. Seconds")
                .append(" are training time on the activations (embedding excluded, cached),")
                .append(" the reference's L2 search included, on two cores shared with other")
                .append(" work. The curves show each run's current iterate on the test split;")
                .append(" the zo row is the mean of its second-half iterates.\n\n");
        md.append("```\n").append(command).append("\n```\n\n");
        md.append(table).append('\n');
        md.append("## Learning curves\n\n");
        images.forEach(
                (title, image) ->
                        md.append("![").append(title).append("](").append(image).append(")\n\n"));
        md.append("## Heap\n\n");
        md.append("Retained heap of the zeroth-order trainer (rank-1 adapter over 384-wide")
                .append(" activations) after a full collection, with the trainer reachable,")
                .append(" against the number of signals it has applied; then the same with the")
                .append(" streaming trainer's holdout window (")
                .append(HeapMeasurement.HOLDOUT_WINDOW)
                .append(" examples, its default) fed as many holdout examples, against the")
                .append(" window's bound. Neither grows with the signals or examples seen.\n\n");
        md.append(heapTable(heap));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md.toString());
    }
}
