package io.forwardloop.ingest.cli;

import io.forwardloop.ingest.streams.IngestConfig;
import io.forwardloop.ingest.streams.IngestService;
import io.forwardloop.platform.ConfigFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A properties file of ingest.*, kafka.* and schema.registry.* keys.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Overrides one key; repeatable.")
    Map<String, String> overrides = new HashMap<>();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private final CountDownLatch started = new CountDownLatch(1);
    private volatile IngestService service;

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
            configured = new IngestService(ConfigFiles.load(config, overrides));
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("ingest: " + e.getMessage());
            started.countDown();
            return 2;
        }
        return run(configured);
    }

    private int run(IngestService configured) throws InterruptedException {
        Thread hook = new Thread(this::stop, "ingest-shutdown");
        try (IngestService running = configured.start()) {
            service = running;
            Runtime.getRuntime().addShutdownHook(hook);
            started.countDown();
            spec.commandLine()
                    .getOut()
                    .printf(
                            "ingest service %s: /health, /ready and /metrics on port %d%n",
                            running.config().applicationId(), running.port());
            Throwable failure = running.awaitTermination();
            if (failure != null) {
                spec.commandLine().getErr().println("ingest: " + failure.getMessage());
                return 1;
            }
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("ingest: " + e.getMessage());
            return 1;
        } finally {
            started.countDown();
            removeHook(hook);
        }
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook is running or has run
        }
    }

    /** Waits until the service is up (or failed to start) and returns its probe port, or -1. */
    int awaitStarted() throws InterruptedException {
        started.await();
        IngestService running = service;
        return running == null ? -1 : running.port();
    }

    /** Stops the service as SIGTERM does. */
    void stop() {
        IngestService running = service;
        if (running != null) {
            running.close();
        }
    }
}
