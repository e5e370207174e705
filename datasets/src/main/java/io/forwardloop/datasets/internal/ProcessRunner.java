package io.forwardloop.datasets.internal;

import io.forwardloop.datasets.DatasetFetchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a package client as a subprocess in a working directory, with a time limit. */
public final class ProcessRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
    private static final int TAIL_CHARS = 2000;

    /** The exit status and the combined stdout and stderr of a finished command. */
    public record Result(int exitCode, String output) {

        /** Whether the command exited with status 0. */
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** The end of the output, short enough for an error message. */
        public String tail() {
            String s = output.strip();
            return s.length() <= TAIL_CHARS ? s : "..." + s.substring(s.length() - TAIL_CHARS);
        }
    }

    private final Duration timeout;

    /** A runner that stops any command still running after {@code timeout}. */
    public ProcessRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Runs {@code command} in {@code dir}.
     *
     * @param installHint what to install when the program is not found, e.g. "Node.js and npm"
     * @throws DatasetFetchException if the program is missing, cannot start or times out
     */
    public Result run(List<String> command, Path dir, String installHint) {
        Path log = dir.resolve(".command-output");
        Process process = start(command, dir, log, installHint);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DatasetFetchException(timedOut(command));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            LOG.debug("{} exited with {}: {}", command, process.exitValue(), output.strip());
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DatasetFetchException("interrupted while running " + command, e);
        } catch (IOException e) {
            throw new DatasetFetchException("cannot read the output of " + command, e);
        }
    }

    private static Process start(List<String> command, Path dir, Path log, String installHint) {
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        builder.environment().put("NO_UPDATE_NOTIFIER", "1");
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new DatasetFetchException(
                    "cannot run '"
                            + command.get(0)
                            + "' ("
                            + e.getMessage()
                            + "); install "
                            + installHint
                            + " and make sure '"
                            + command.get(0)
                            + "' is on the PATH",
                    e);
        }
    }

    private String timedOut(List<String> command) {
        return command
                + " did not finish within "
                + timeout.toMillis()
                + " ms; check the network or raise datasets.fetch.timeout.ms";
    }
}
