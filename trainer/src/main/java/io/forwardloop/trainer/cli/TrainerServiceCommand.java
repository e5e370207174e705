package io.forwardloop.trainer.cli;

import io.forwardloop.platform.ConfigFiles;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.trainer.RegistryPublisher;
import io.forwardloop.trainer.TrainerConfig;
import io.forwardloop.trainer.internal.ServiceRunner;
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
 * {@code trainer}: runs the streaming trainer of one adapter as a service until stopped.
 *
 * <p>Settings come from a properties file ({@code --config}), then {@code --set key=value}
 * overrides: the {@code trainer.*} keys of {@link TrainerConfig} and the cluster connection's
 * {@code kafka.*} and {@code schema.registry.url} keys. Candidates are published to the model
 * registry at {@code trainer.registry.url}. {@code GET /health} and {@code GET /ready} answer on
 * {@code trainer.http.host}:{@code trainer.http.port}. SIGTERM finishes the current poll round,
 * closes the Kafka clients and exits. Exit codes: 0 after a clean stop, 1 when the trainer failed,
 * 2 for bad usage or configuration.
 */
@Command(
        name = "trainer",
        description = "Train one adapter from the loop's signal streams and publish it.",
        mixinStandardHelpOptions = true)
public final class TrainerServiceCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A properties file of trainer.*, kafka.* and schema.registry.* keys.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Overrides one key; repeatable.")
    Map<String, String> overrides = new HashMap<>();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private final CountDownLatch started = new CountDownLatch(1);
    private volatile ServiceRunner runner;

    /** Runs the command line with {@code args} and returns the exit code. */
    public static int execute(String... args) {
        return new CommandLine(new TrainerServiceCommand()).execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        TrainerConfig settings;
        RegistryPublisher publisher;
        try {
            settings = new TrainerConfig(ConfigFiles.load(config, overrides));
            publisher = publisher(settings);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("trainer: " + e.getMessage());
            return 2;
        }
        return run(settings, publisher);
    }

    private static RegistryPublisher publisher(TrainerConfig settings) {
        String url =
                settings.registryUrl()
                        .orElseThrow(
                                () ->
                                        new ConfigException(
                                                TrainerConfig.REGISTRY_URL,
                                                "",
                                                "required by the trainer service; give the model"
                                                        + " registry's base URL"));
        try {
            return new RegistryPublisher(
                    RegistryClient.builder().url(url).token(settings.registryToken()).build());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigException(TrainerConfig.REGISTRY_URL, url, e.getMessage());
        }
    }

    private int run(TrainerConfig settings, RegistryPublisher publisher)
            throws InterruptedException {
        Thread hook = new Thread(this::stop, "trainer-shutdown");
        try (ServiceRunner running = new ServiceRunner(settings, publisher).start()) {
            runner = running;
            Runtime.getRuntime().addShutdownHook(hook);
            started.countDown();
            spec.commandLine()
                    .getOut()
                    .printf(
                            "trainer of adapter %s: /health and /ready on port %d%n",
                            settings.adapterName(), running.port());
            Throwable failure = running.awaitTermination();
            if (failure != null) {
                spec.commandLine().getErr().println("trainer: " + failure.getMessage());
                return 1;
            }
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("trainer: " + e.getMessage());
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
        ServiceRunner running = runner;
        return running == null ? -1 : running.port();
    }

    /** Stops the service as SIGTERM does. */
    void stop() {
        ServiceRunner running = runner;
        if (running != null) {
            running.close();
        }
    }
}
