package io.forwardloop.cli;

import io.forwardloop.cli.internal.PlatformOptions;
import io.forwardloop.cli.internal.PlatformReport;
import io.forwardloop.cli.internal.RunOptions;
import io.forwardloop.cli.internal.ServiceStack;
import io.forwardloop.cli.internal.StopSignal;
import io.forwardloop.platform.EmbeddedPlatform;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Runs the loop on this machine: the embedded platform and, in order, the services that use it;
 * stops them in reverse order on Ctrl-C or after the given time.
 */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {
            "Runs ForwardLoop on this machine, on an embedded Kafka and schema registry.",
            "Data is kept in the data directory; a second run continues where the first stopped."
        })
public final class QuickstartCommand implements Callable<Integer> {
    @Mixin PlatformOptions platformOptions;
    @Mixin RunOptions runOptions;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Duration> duration = runOptions.duration();
        try (StopSignal stop = StopSignal.install();
                ServiceStack services = new ServiceStack()) {
            // the platform: Kafka, the schema registry and the topics
            EmbeddedPlatform platform =
                    services.start("embedded platform", () -> platformOptions.platform().start());
            out.println("ForwardLoop quickstart is up:");
            PlatformReport.print(out, platform);

            // run until stopped
            PlatformReport.printRunning(out, duration);
            stop.await(duration);
            out.println("Stopping.");
        }
        out.println("Stopped.");
        return 0;
    }
}
