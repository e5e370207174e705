package io.forwardloop.bench.signals;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench signals}: recycled-activation signals against re-running the backbone. */
@Command(
        name = "signals",
        description =
                "Signals per second per core on recycled activations vs. re-running the backbone,"
                        + " and the lag from feedback to its first signal.")
public final class BenchSignalsCommand implements Callable<Integer> {
    @Option(names = "--report", required = true, description = "JSON report file to write.")
    Path report;

    @Option(
            names = "--data-dir",
            defaultValue = "data/datasets",
            description = "Cache of the fetched data sets (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--lag-samples", defaultValue = "40", description = "Feedback lag samples.")
    int lagSamples;

    @Override
    public Integer call() throws Exception {
        SignalsBenchmark.Result result = new SignalsBenchmark(dataDir, lagSamples).run();
        System.out.println(result.table());
        result.writeJson(report);
        return 0;
    }
}
