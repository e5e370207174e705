package io.forwardloop.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.forwardloop.ingest.encoder.EncoderId;
import io.forwardloop.trainer.OfflineDataset;
import io.forwardloop.trainer.OfflineTraining;
import io.forwardloop.trainer.TrainingMethod;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train}: trains an adapter offline on a labeled data file through the trainer's own code
 * and writes a JSON report.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Embeds a labeled data file with a frozen encoder, splits it by seed, trains an"
                    + " adapter with zeroth-order (zo), Forward-Forward (ff) or exact-gradient"
                    + " reference (bp) training, and reports its held-out accuracy.",
            "FILE is JSONL with text and label fields, or CSV/TSV with a text and a label column;"
                    + " 'uci' and 'mr' name the project's data sets."
        })
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE",
            description = "Data file, or uci / mr.")
    String input;

    @Option(names = "--method", required = true, description = "zo, ff or bp.")
    String method;

    @Option(
            names = "--encoder",
            defaultValue = "bge-small-q",
            description = "bge-small-q, minilm or minilm-q (default: ${DEFAULT-VALUE}).")
    String encoder;

    @Option(
            names = "--test-fraction",
            defaultValue = "0.2",
            description = "Share held out for testing (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--seed", defaultValue = "42", description = "Split and training seed.")
    long seed;

    @Option(
            names = "--report",
            required = true,
            paramLabel = "OUT.json",
            description = "Report file.")
    Path report;

    @Option(
            names = "--data-dir",
            defaultValue = "data",
            description = "Data sets and cached activations (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        TrainingMethod trainingMethod = TrainingMethod.parse(method);
        EncoderId encoderId = EncoderId.parse(encoder);
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--test-fraction must be between 0 and 1 (exclusive), got " + testFraction);
        }
        Path file = OfflineDataset.resolve(input, dataDir);
        long embedStart = System.nanoTime();
        OfflineDataset data = embed(file, encoderId);
        double embedSeconds = (System.nanoTime() - embedStart) / 1e9;
        out.printf(
                "%s: %d training and %d test examples, labels %s%n",
                file, data.train().size(), data.test().size(), data.labels());
        OfflineTraining.Result result = train(trainingMethod, data);
        out.printf(
                "%s on %s with %s: accuracy %.4f after %d steps in %.1f s%n",
                trainingMethod.id(),
                file.getFileName(),
                encoderId.id(),
                result.accuracy(),
                result.steps(),
                result.seconds());
        writeReport(file, data, result, embedSeconds);
        out.printf("Report written to %s%n", report);
        return 0;
    }

    private OfflineDataset embed(Path file, EncoderId encoderId) {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Embedding").build()) {
            return OfflineDataset.load(
                    file,
                    encoderId,
                    dataDir,
                    testFraction,
                    seed,
                    (done, total) -> {
                        bar.maxHint(total);
                        bar.stepTo(done);
                    });
        }
    }

    private OfflineTraining.Result train(TrainingMethod trainingMethod, OfflineDataset data) {
        try (ProgressBar bar =
                new ProgressBarBuilder().setTaskName("Training " + trainingMethod.id()).build()) {
            return OfflineTraining.run(
                    trainingMethod,
                    data.train(),
                    data.test(),
                    data.labels(),
                    seed,
                    OfflineTraining.Options.defaults(),
                    (signals, total, params) -> {
                        bar.maxHint(total);
                        bar.stepTo(signals);
                    });
        }
    }

    private void writeReport(
            Path file, OfflineDataset data, OfflineTraining.Result result, double embedSeconds)
            throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", result.method().id());
        json.put("encoder", data.encoder().id());
        json.put("accuracy", result.accuracy());
        json.put("train_examples", data.train().size());
        json.put("test_examples", data.test().size());
        json.put("steps", result.steps());
        json.put("seconds", result.seconds());
        json.put("embedding_seconds", embedSeconds);
        json.put("input", file.toString());
        json.put("input_sha256", data.sha256());
        json.put("labels", data.labels());
        json.put("test_fraction", testFraction);
        json.put("seed", seed);
        json.put("adapter_kind", result.parameters().spec().kind().name());
        json.put("adapter_sha256", result.parameters().digest());
        json.put("hyperparameters", result.hyperparameters());
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(report.toFile(), json);
    }

    /** Runs the command on its own. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainCommand()).execute(args));
    }
}
