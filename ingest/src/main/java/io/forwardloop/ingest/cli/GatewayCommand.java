package io.forwardloop.ingest.cli;

import io.forwardloop.ingest.gateway.Gateway;
import io.forwardloop.ingest.gateway.GatewayConfig;
import io.forwardloop.platform.ServiceOptions;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin ServiceOptions options;

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
    public Integer call() throws InterruptedException {
        Gateway gateway;
        try {
            gateway = Gateway.builder().config(settings()).build();
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

    private Map<String, Object> settings() {
        Map<String, Object> settings = options.load();
        if (port != null) {
            settings.put(GatewayConfig.HTTP_PORT, port);
        }
        return settings;
    }
}
