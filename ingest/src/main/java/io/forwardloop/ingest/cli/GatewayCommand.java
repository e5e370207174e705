package io.forwardloop.ingest.cli;

import io.forwardloop.ingest.gateway.Gateway;
import io.forwardloop.ingest.gateway.GatewayConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway}: runs a serving gateway until interrupted.
 *
 * <p>Settings come from a properties file ({@code --config}), then {@code --set key=value}
 * overrides, then {@code --port}. Exit codes: 0 after a clean stop, 1 when the gateway could not
 * start, 2 for bad usage or configuration.
 */
@Command(
        name = "gateway",
        description =
                "Serve predictions over HTTP with the frozen encoder and hot-swapped adapters.",
        mixinStandardHelpOptions = true)
public final class GatewayCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A properties file of gateway.*, encoder.* and kafka.* keys.")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Overrides one key; repeatable.")
    Map<String, String> overrides = new HashMap<>();

    @Option(names = "--port", description = "Overrides " + GatewayConfig.HTTP_PORT + ".")
    Integer port;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Runs the command line with {@code args} and returns the exit code. */
    public static int execute(String... args) {
        return new CommandLine(new GatewayCommand()).execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Map<String, Object> settings = settings();
        Gateway gateway;
        try {
            gateway = Gateway.builder().config(settings).build();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("gateway: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (Gateway running = gateway.start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running, stopped)));
            spec.commandLine().getOut().println("gateway listening on " + running.url());
            stopped.await();
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("gateway: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static void stop(Gateway gateway, CountDownLatch stopped) {
        gateway.close();
        stopped.countDown();
    }

    private Map<String, Object> settings() throws IOException {
        Map<String, Object> settings = new HashMap<>();
        if (config != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(config)) {
                file.load(reader);
            }
            file.stringPropertyNames().forEach(k -> settings.put(k, file.getProperty(k)));
        }
        settings.putAll(overrides);
        if (port != null) {
            settings.put(GatewayConfig.HTTP_PORT, port);
        }
        return settings;
    }
}
