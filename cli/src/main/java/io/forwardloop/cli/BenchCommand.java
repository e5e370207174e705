package io.forwardloop.cli;

import io.forwardloop.bench.gateway.BenchGatewayCommand;
import io.forwardloop.bench.registry.BenchRegistryCommand;
import io.forwardloop.bench.signals.BenchSignalsCommand;
import io.forwardloop.bench.trainer.BenchTrainerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code forwardloop bench NAME --report FILE}: the benchmarks, each printing a table next to a
 * baseline measured in the same run and writing the same numbers as JSON.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measures a part of the loop against a baseline from the same run.",
        subcommands = {
            BenchGatewayCommand.class,
            BenchSignalsCommand.class,
            BenchRegistryCommand.class,
            BenchTrainerCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Without a benchmark name, fails as a usage error listing the benchmarks. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Missing benchmark: choose one of " + spec.subcommands().keySet());
    }
}
