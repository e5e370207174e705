package io.forwardloop.bench.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.forwardloop.bench.gateway.AliasMoves;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.encoder.EncoderConfig;
import io.forwardloop.ingest.encoder.EncoderId;
import io.forwardloop.ingest.encoder.Encoders;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.registry.bench.RegistryBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench registry}: publish and fetch latency, a promote until its event is delivered (the
 * registry's share), and a promote until a gateway following the registry serves the new version
 * (the whole path: outbox, {@code adapter-events}, fetch by SHA-256, verification, swap). Prints a
 * table and writes the numbers as JSON.
 */
@Command(
        name = "registry",
        description =
                "Benchmark the model registry: publish, fetch, alias move to event and to a"
                        + " gateway serving it.",
        mixinStandardHelpOptions = true)
public final class BenchRegistryCommand implements Callable<Integer> {

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report here.")
    Path report;

    @Option(
            names = "--count",
            defaultValue = "200",
            description = "Artifacts per size (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = "--moves",
            defaultValue = "100",
            description = "Alias moves timed on each path (default: ${DEFAULT-VALUE}).")
    int moves;

    @Option(
            names = "--encoder",
            defaultValue = "bge-small-q",
            description =
                    "Encoder of the gateway that follows the alias (default: ${DEFAULT-VALUE}).")
    String encoder;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Where the platform and databases live; a new temporary directory by default.")
    Path dataDir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Runs the command line with {@code args} and returns the exit code. */
    public static int execute(String... args) {
        return new CommandLine(new BenchRegistryCommand()).execute(args);
    }

    @Override
    public Integer call() throws IOException {
        if (count < 1 || moves < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--count and --moves must be at least 1");
        }
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("registry-bench");
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("count", count);
        results.put("moves", moves);
        try (EmbeddedPlatform platform =
                EmbeddedPlatform.builder().dataDir(dir.resolve("platform")).build().start()) {
            results.putAll(RegistryBenchmark.measure(platform, dir, count, moves));
            results.put("alias_move_to_gateway_serving", toGateway(platform, dir));
        }
        print(results);
        if (report != null) {
            write(results);
        }
        return 0;
    }

    private Map<String, Object> toGateway(EmbeddedPlatform platform, Path dir) {
        EncoderConfig config =
                new EncoderConfig(Map.of(EncoderConfig.ENCODER_ID, EncoderId.parse(encoder).id()));
        try (Encoder backbone = Encoders.create(config)) {
            AliasMoves.Result r = AliasMoves.measure(platform, backbone, dir.resolve("e2e"), moves);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("n", r.moves());
            s.put("p50_ms", round(r.p50Ms()));
            s.put("p99_ms", round(r.p99Ms()));
            s.put("max_ms", round(r.maxMs()));
            return s;
        }
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }

    @SuppressWarnings("unchecked")
    private void print(Map<String, Object> results) {
        PrintWriter out = spec.commandLine().getOut();
        RegistryBenchmark.print(results, out);
        RegistryBenchmark.row(
                out,
                "alias move -> gateway serving",
                (Map<String, Object>) results.get("alias_move_to_gateway_serving"));
        out.flush();
    }

    private void write(Map<String, Object> results) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "registry");
        doc.put("database", "embedded H2 (file)");
        doc.put("gateway_encoder", encoder);
        doc.put("results", results);
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(report.toFile(), doc);
        spec.commandLine().getOut().println("report written to " + report);
    }
}
