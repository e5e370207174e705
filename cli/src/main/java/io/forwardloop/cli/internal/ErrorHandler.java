package io.forwardloop.cli.internal;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failed command's message, without a stack trace, and picks the exit code: 2 for a bad
 * configuration value, 1 for anything else.
 */
public final class ErrorHandler implements IExecutionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

    @Override
    public int handleExecutionException(
            Exception e, CommandLine commandLine, ParseResult parseResult) {
        commandLine
                .getErr()
                .println("forwardloop " + commandLine.getCommandName() + ": " + e.getMessage());
        LOG.debug("{} failed", commandLine.getCommandName(), e);
        if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            return CommandLine.ExitCode.USAGE;
        }
        return CommandLine.ExitCode.SOFTWARE;
    }
}
