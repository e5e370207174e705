package io.forwardloop.cli;

import io.forwardloop.cli.internal.PlatformOptions;
import io.forwardloop.cli.internal.PlatformReport;
import io.forwardloop.cli.internal.RunOptions;
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

/** Runs only the embedded Kafka and schema registry, for pointing other tools at them. */
@Command(
        name = "platform",
        mixinStandardHelpOptions = true,
        description = {
            "Runs only the embedded Kafka and schema registry, with the topics.",
            "For services or tools started separately; same options as quickstart."
        })
public final class PlatformCommand implements Callable<Integer> {
    @Mixin PlatformOptions platformOptions;
    @Mixin RunOptions runOptions;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Duration> duration = runOptions.duration();
        try (StopSignal stop = StopSignal.install();
                EmbeddedPlatform platform = platformOptions.platform().start()) {
            out.println("ForwardLoop platform is up:");
            PlatformReport.print(out, platform);
            PlatformReport.printRunning(out, duration);
            stop.await(duration);
            out.println("Stopping.");
        }
        out.println("Stopped.");
        return 0;
    }
}
