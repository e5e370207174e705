package io.forwardloop.bench.gateway;

import io.forwardloop.ingest.encoder.EncoderId;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench gateway}: gateway throughput and latency against raw ONNX Runtime, and swaps. */
@Command(
        name = "gateway",
        description =
                "Benchmark the serving gateway: throughput vs raw ONNX Runtime, latency, swaps.",
        mixinStandardHelpOptions = true)
public final class BenchGatewayCommand implements Callable<Integer> {

    @Option(
            names = "--report",
            paramLabel = "FILE",
            description = "Where to write the JSON report.")
    Path report;

    @Option(
            names = "--encoder",
            defaultValue = "bge-small-q",
            description = "Encoder id (default: ${DEFAULT-VALUE}).")
    String encoder;

    @Option(
            names = "--texts",
            defaultValue = "512",
            description = "Distinct texts (default: ${DEFAULT-VALUE}).")
    int texts;

    @Option(
            names = "--requests",
            defaultValue = "1536",
            description = "Predict requests over all gateway rounds (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(
            names = "--clients",
            defaultValue = "16",
            description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--max-seconds",
            defaultValue = "120",
            description = "Time bound of one gateway round (default: ${DEFAULT-VALUE}).")
    long maxSeconds;

    @Option(
            names = "--swaps",
            defaultValue = "100",
            description = "Adapter versions swapped under load (default: ${DEFAULT-VALUE}).")
    int swaps;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            description = "gateway.batch.max.size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--batch-wait-ms",
            defaultValue = "2",
            description = "gateway.batch.max.wait.ms (default: ${DEFAULT-VALUE}).")
    long batchWaitMs;

    @Option(
            names = "--workers",
            defaultValue = "1",
            description =
                    "gateway.batch.workers, and the raw baseline's threads (default:"
                            + " ${DEFAULT-VALUE}).")
    int workers;

    @Option(
            names = "--intra-op-threads",
            defaultValue = "1",
            description = "encoder.intra.op.threads, gateway and raw (default: ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "Alternating raw and gateway rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--alias-moves",
            defaultValue = "50",
            description =
                    "Alias moves in a live registry timed to the gateway serving them; 0 skips"
                            + " (default: ${DEFAULT-VALUE}).")
    int aliasMoves;

    @Option(names = "--no-kafka", description = "Do not log to an embedded Kafka.")
    boolean noKafka;

    @Option(
            names = "--cache-dir",
            defaultValue = "data/datasets",
            description = "Data set cache (default: ${DEFAULT-VALUE}).")
    Path cacheDir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Runs the command line with {@code args} and returns the exit code. */
    public static int execute(String... args) {
        return new CommandLine(new BenchGatewayCommand()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        GatewayBenchmark.Options options =
                new GatewayBenchmark.Options(
                        EncoderId.parse(encoder),
                        texts,
                        requests,
                        clients,
                        maxSeconds,
                        swaps,
                        batchSize,
                        batchWaitMs,
                        workers,
                        intraOpThreads,
                        rounds,
                        aliasMoves,
                        !noKafka,
                        cacheDir,
                        report);
        GatewayBenchmark.Report result = GatewayBenchmark.run(options);
        GatewayBenchmark.print(result, System.out);
        if (report != null) {
            spec.commandLine().getOut().println("report written to " + report);
        }
        return 0;
    }
}
