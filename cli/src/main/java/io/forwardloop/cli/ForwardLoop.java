package io.forwardloop.cli;

import io.forwardloop.cli.internal.ErrorHandler;
import io.forwardloop.cli.internal.VersionProvider;
import io.forwardloop.ingest.cli.GatewayCommand;
import io.forwardloop.ingest.cli.IngestCommand;
import io.forwardloop.registry.cli.RegistryCommand;
import io.forwardloop.replay.ReplayCommand;
import io.forwardloop.trainer.cli.TrainCommand;
import io.forwardloop.trainer.cli.TrainerServiceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code forwardloop} command: starts the loop locally and administers a cluster for it.
 *
 * <p>Exit codes: 0 when a command succeeds, 1 when it fails at run time (the message says what
 * failed and what to do), 2 for a usage error.
 */
@Command(
        name = "forwardloop",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Trains adapters from production traffic without backpropagation.",
        subcommands = {
            QuickstartCommand.class,
            PlatformCommand.class,
            TopicsCommand.class,
            GatewayCommand.class,
            IngestCommand.class,
            TrainCommand.class,
            TrainerServiceCommand.class,
            ReplayCommand.class,
            RegistryCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class ForwardLoop implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Returns the command line with its subcommands and error handling, ready to execute. */
    public static CommandLine commandLine() {
        return new CommandLine(new ForwardLoop())
                .setExecutionExceptionHandler(new ErrorHandler())
                .setUsageHelpAutoWidth(true);
    }

    /** Without a subcommand, prints the usage and fails as a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing command: choose one of " + spec.subcommands().keySet());
    }
}
