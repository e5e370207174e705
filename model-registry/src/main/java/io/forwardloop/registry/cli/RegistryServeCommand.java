package io.forwardloop.registry.cli;

import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.ServiceOptions;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.RegistryConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code registry serve}: runs the model registry server until the process is stopped.
 *
 * <p>Settings come from {@code --config FILE} ({@code registry.*} keys, and {@code kafka.*} plus
 * {@code schema.registry.url} for the adapter events), then {@code --set key=value}, then {@code
 * --port}. Without {@code kafka.bootstrap.servers} the registry serves but announces no alias
 * moves.
 */
@Command(
        name = "serve",
        description = "Run the model registry server until stopped.",
        mixinStandardHelpOptions = true)
public final class RegistryServeCommand implements Callable<Integer> {

    @Mixin ServiceOptions options;

    @Option(names = "--port", description = "Overrides " + RegistryConfig.HTTP_PORT + ".")
    Integer port;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Object> settings = options.load();
        if (port != null) {
            settings.put(RegistryConfig.HTTP_PORT, port);
        }
        ModelRegistryServer.Builder builder = ModelRegistryServer.builder().config(settings);
        if (settings.containsKey(ClusterConnection.BOOTSTRAP_SERVERS)) {
            builder.kafka(ClusterConnection.from(settings).clientProperties());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ModelRegistryServer server = builder.build().start();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    stopped.countDown();
                                }));
        spec.commandLine().getOut().println("model registry listening on " + server.url());
        stopped.await();
        return 0;
    }
}
