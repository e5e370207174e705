package io.forwardloop.cli;

import io.forwardloop.cli.internal.ConnectionOptions;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.TopicSetup;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Administers ForwardLoop's topics on a Kafka cluster. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Administers ForwardLoop's topics on a Kafka cluster.",
        subcommands = {TopicsCommand.Create.class})
public final class TopicsCommand {

    /** Creates every declared topic that is missing and checks the ones that exist. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates every ForwardLoop topic that is missing on the cluster and checks that",
                "existing ones match their declaration; existing topics are never changed."
            })
    public static final class Create implements Callable<Integer> {
        @Mixin ConnectionOptions connectionOptions;
        @Spec CommandSpec spec;

        @Option(
                names = "--partitions",
                paramLabel = "N",
                defaultValue = "0",
                description = "Partitions of every topic; 0 keeps each topic's own (default).")
        int partitions;

        @Option(
                names = "--replication-factor",
                paramLabel = "N",
                defaultValue = "1",
                description = "Replicas of every partition (default: ${DEFAULT-VALUE}).")
        int replicationFactor;

        @Override
        public Integer call() {
            ClusterConnection connection = connectionOptions.connection();
            TopicSetup setup =
                    TopicSetup.builder()
                            .partitions(partitions)
                            .replicationFactor(replicationFactor)
                            .build();
            try (Admin admin = Admin.create(connection.kafkaProperties())) {
                TopicSetup.Result result = setup.apply(admin);
                PrintWriter out = spec.commandLine().getOut();
                out.printf("Topics on %s: %s%n", connection.bootstrapServers(), result);
            }
            return 0;
        }
    }
}
