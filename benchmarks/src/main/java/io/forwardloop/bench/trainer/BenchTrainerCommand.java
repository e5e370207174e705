package io.forwardloop.bench.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.forwardloop.ingest.encoder.EncoderId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench trainer}: zeroth-order and Forward-Forward training against the exact-gradient
 * reference on the same split, with learning curves, and the trainer's heap against N signals.
 */
@Command(
        name = "trainer",
        mixinStandardHelpOptions = true,
        description =
                "Trains zo, ff and the bp reference on each data set and encoder (same split),"
                        + " prints accuracy, gap to bp, steps and seconds, draws learning curves"
                        + " and measures the trainer's retained heap against the signals seen.")
public final class BenchTrainerCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--report", required = true, paramLabel = "FILE", description = "JSON report.")
    Path report;

    @Option(names = "--datasets", split = ",", defaultValue = "uci,mr", description = "Data sets.")
    List<String> datasets;

    @Option(
            names = "--encoders",
            split = ",",
            defaultValue = "bge-small-q,minilm",
            description = "Encoders.")
    List<String> encoders;

    @Option(names = "--data-dir", defaultValue = "data", description = "Data and activation cache.")
    Path dataDir;

    @Option(
            names = "--docs-dir",
            defaultValue = "docs/benchmarks",
            description = "Where the learning-curve images and trainer.md go.")
    Path docsDir;

    @Option(names = "--seed", defaultValue = "42", description = "Split and training seed.")
    long seed;

    @Option(names = "--test-fraction", defaultValue = "0.2", description = "Held-out share.")
    double testFraction;

    @Option(
            names = "--heap-signals",
            split = ",",
            defaultValue = "1000,10000,100000",
            description = "Signal counts of the heap measurement.")
    List<Long> heapSignals;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<TrainerBenchmark.Row> rows = new ArrayList<>();
        Map<String, String> images = new LinkedHashMap<>();
        Map<String, List<LearningCurve>> allCurves = new LinkedHashMap<>();
        for (String dataset : datasets) {
            for (String encoderName : encoders) {
                EncoderId encoder = EncoderId.parse(encoderName);
                List<LearningCurve> curves = new ArrayList<>();
                rows.addAll(
                        TrainerBenchmark.run(
                                dataset, encoder, dataDir, testFraction, seed, curves, out));
                String name = "trainer-learning-curves-" + dataset + "-" + encoder.id() + ".png";
                CurveCharts.write(docsDir.resolve(name), dataset + " / " + encoder.id(), curves);
                images.put(dataset + " / " + encoder.id(), name);
                allCurves.put(dataset + "/" + encoder.id(), curves);
            }
        }
        List<HeapMeasurement.Result> heap = new ArrayList<>();
        for (long signals : heapSignals) {
            heap.add(HeapMeasurement.measure(signals));
        }
        String table = Reports.table(rows);
        out.println(table);
        out.println(Reports.heapTable(heap));
        writeJson(rows, heap, allCurves);
        Reports.writeMarkdown(docsDir.resolve("trainer.md"), table, heap, images, command());
        out.printf("Report written to %s; charts and trainer.md in %s%n", report, docsDir);
        return 0;
    }

    private String command() {
        return "./forwardloop bench trainer --report "
                + report
                + " --datasets "
                + String.join(",", datasets)
                + " --encoders "
                + String.join(",", encoders)
                + " --seed "
                + seed;
    }

    private void writeJson(
            List<TrainerBenchmark.Row> rows,
            List<HeapMeasurement.Result> heap,
            Map<String, List<LearningCurve>> curves)
            throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "trainer");
        json.put("seed", seed);
        json.put("test_fraction", testFraction);
        json.put("results", rows);
        json.put("heap", heap);
        json.put("learning_curves", curves);
        json.put("cpus", Runtime.getRuntime().availableProcessors());
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(report.toFile(), json);
    }
}
