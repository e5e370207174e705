package io.forwardloop.ingest.cli;

import io.forwardloop.ingest.streams.IngestConfig;
import io.forwardloop.ingest.streams.IngestService;
import io.forwardloop.platform.ServiceLifecycle;
import io.forwardloop.platform.ServiceOptions;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ingest}: runs the ingest topology as a service until stopped.
 *
 * <p>Settings come from a properties file ({@code --config}), then {@code --set key=value}
 * overrides: the {@code ingest.*} keys of {@link IngestConfig} and the cluster connection's {@code
 * kafka.*} and {@code schema.registry.url} keys. {@code GET /health}, {@code GET /ready} and {@code
 * GET /metrics} answer on {@code ingest.http.host}:{@code ingest.http.port} (8083). SIGTERM closes
 * Kafka Streams, committing what it processed, and exits. Exit codes: 0 after a clean stop, 1 when
 * the service failed, 2 for bad usage or configuration (the message names the key).
 */
@Command(
        name = "ingest",
        description =
                "Validate, dedupe and dead-letter the gateways' raw records into the topics the"
                        + " signal job reads.",
        mixinStandardHelpOptions = true)
public final class IngestCommand implements Callable<Integer> {

    @Mixin ServiceOptions options;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private final ServiceLifecycle<IngestService> lifecycle = new ServiceLifecycle<>("ingest");

    /** Runs the command line with {@code args} and returns the exit code. */
    public static int execute(String... args) {
        return new CommandLine(new IngestCommand()).execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        IngestService configured;
        try {
            configured = new IngestService(options.load());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("ingest: " + e.getMessage());
            lifecycle.abandon();
            return 2;
        }
        return lifecycle.run(
                configured::start,
                running ->
                        String.format(
                                "ingest service %s: /health, /ready and /metrics on port %d",
                                running.config().applicationId(), running.port()),
                spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    /** Waits until the service is up (or failed to start) and returns its probe port, or -1. */
    int awaitStarted() throws InterruptedException {
        return lifecycle.awaitStarted();
    }

    /** Stops the service as SIGTERM does. */
    void stop() {
        lifecycle.stop();
    }
}
