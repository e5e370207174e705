package io.forwardloop.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.forwardloop.ingest.encoder.EncoderId;
import io.forwardloop.registry.Lineage;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.cli.RegistryCommand;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.trainer.Evaluation;
import io.forwardloop.trainer.OfflineDataset;
import io.forwardloop.trainer.OfflineTraining;
import io.forwardloop.trainer.RegistryPublisher;
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
 * and writes a JSON report; with {@code --publish URL} it also publishes the adapter to the model
 * registry and, with {@code --promote ALIAS}, points the alias at it: how a fresh cluster gets a
 * trained first adapter, which the streaming trainer then starts from.
 *
 * <p>Every method publishes a servable adapter: {@code zo} and {@code bp} the same low-rank
 * classifier (bp trained with exact gradients, the best seed when labeled data exists), {@code ff}
 * a Forward-Forward adapter. The version records the method, the test-split metrics, the
 * hyperparameters with the shape keys, and a lineage without parent or step range.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Embeds a labeled data file with a frozen encoder, splits it by seed, trains an"
                    + " adapter with zeroth-order (zo), Forward-Forward (ff) or exact-gradient"
                    + " reference (bp) training, and reports its held-out accuracy.",
            "FILE is JSONL with text and label fields, or CSV/TSV with a text and a label column;"
                    + " 'uci' and 'mr' name the project's data sets.",
            "With --publish URL --adapter NAME the trained adapter is published to the model"
                    + " registry (and promoted with --promote ALIAS), as the first adapter a"
                    + " streaming trainer starts from."
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

    @Option(
            names = "--publish",
            paramLabel = "URL",
            description = "Model registry base URL to publish the trained adapter to.")
    String publishUrl;

    @Option(
            names = "--adapter",
            paramLabel = "NAME",
            description = "Adapter name to publish as; required with --publish.")
    String adapterName;

    @Option(
            names = "--promote",
            paramLabel = "ALIAS",
            description = "Alias to point at the published version (default: none, publish only).")
    String promoteAlias;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description =
                    "Registry bearer token for --publish; default: $"
                            + RegistryCommand.TOKEN_ENV
                            + ".")
    String token;

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
        RegistryClient registry = registry();
        if (registry != null && !reachable(registry)) {
            return 1;
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
        return registry == null ? 0 : publish(registry, file, data, result);
    }

    // the registry client for --publish, or null; bad options are usage errors before training
    private RegistryClient registry() {
        if (publishUrl == null) {
            for (String[] option :
                    new String[][] {
                        {"--adapter", adapterName}, {"--promote", promoteAlias}, {"--token", token}
                    }) {
                if (option[1] != null) {
                    throw usage(option[0] + " is only used with --publish URL; add --publish");
                }
            }
            return null;
        }
        if (adapterName == null || adapterName.isBlank()) {
            throw usage("--publish needs --adapter NAME, the adapter to publish as");
        }
        RegistryClient client;
        try {
            String secret = token != null ? token : System.getenv(RegistryCommand.TOKEN_ENV);
            client = RegistryClient.builder().url(publishUrl).token(secret).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw usage("--publish " + publishUrl + ": " + e.getMessage());
        }
        return client;
    }

    // asks the registry about the adapter (and alias) before training, so that an unreachable
    // registry or a name it refuses costs no training time
    private boolean reachable(RegistryClient client) {
        try {
            unlessMissing(() -> client.versions(adapterName));
            if (promoteAlias != null) {
                unlessMissing(() -> client.alias(adapterName, promoteAlias));
            }
            return true;
        } catch (RegistryException e) {
            spec.commandLine()
                    .getErr()
                    .println("train: --publish " + publishUrl + ": " + e.getMessage());
            return false;
        }
    }

    // runs a lookup; a name the registry does not hold yet is fine
    private static void unlessMissing(Runnable lookup) {
        try {
            lookup.run();
        } catch (RegistryException e) {
            if (e.reason() != RegistryException.Reason.NOT_FOUND) {
                throw e;
            }
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private int publish(
            RegistryClient client, Path file, OfflineDataset data, OfflineTraining.Result result) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            RegistryPublisher publisher = new RegistryPublisher(client);
            long version =
                    publisher.publish(
                            adapterName,
                            result.parameters(),
                            0,
                            data.encoder().id(),
                            Evaluation.of(result.parameters(), data.test()).metrics(),
                            publishedHyperparameters(file, data, result),
                            Lineage.none());
            out.printf("Published adapter %s version %d to %s%n", adapterName, version, publishUrl);
            if (promoteAlias != null) {
                publisher.promote(adapterName, promoteAlias, version);
                out.printf(
                        "Promoted %s version %d to alias %s%n", adapterName, version, promoteAlias);
            }
            return 0;
        } catch (RegistryException e) {
            spec.commandLine().getErr().println("train: " + e.getMessage());
            return 1;
        }
    }

    private Map<String, Object> publishedHyperparameters(
            Path file, OfflineDataset data, OfflineTraining.Result result) {
        Map<String, Object> hyper = new LinkedHashMap<>(result.hyperparameters());
        hyper.put("origin", "offline");
        hyper.put("training_method", result.method().id());
        hyper.put("input", file.getFileName().toString());
        hyper.put("input_sha256", data.sha256());
        hyper.put("train_examples", data.train().size());
        hyper.put("test_fraction", testFraction);
        hyper.put("seed", seed);
        return hyper;
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
