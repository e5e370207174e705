package io.forwardloop.trainer.cli;

import io.forwardloop.platform.ServiceLifecycle;
import io.forwardloop.platform.ServiceOptions;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.trainer.RegistryPublisher;
import io.forwardloop.trainer.TrainerConfig;
import io.forwardloop.trainer.internal.ServiceRunner;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

    @Mixin ServiceOptions options;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private final ServiceLifecycle<ServiceRunner> lifecycle = new ServiceLifecycle<>("trainer");

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
            settings = new TrainerConfig(options.load());
            publisher = publisher(settings);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("trainer: " + e.getMessage());
            lifecycle.abandon();
            return 2;
        }
        return lifecycle.run(
                () -> new ServiceRunner(settings, publisher).start(),
                running ->
                        String.format(
                                "trainer of adapter %s: /health, /ready and /metrics on port %d",
                                settings.adapterName(), running.port()),
                spec.commandLine().getOut(),
                spec.commandLine().getErr());
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

    /** Waits until the service is up (or failed to start) and returns its probe port, or -1. */
    int awaitStarted() throws InterruptedException {
        return lifecycle.awaitStarted();
    }

    /** Stops the service as SIGTERM does. */
    void stop() {
        lifecycle.stop();
    }
}
