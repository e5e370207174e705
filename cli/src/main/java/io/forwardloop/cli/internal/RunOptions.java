package io.forwardloop.cli.internal;

import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How long a long-running command runs: until Ctrl-C, or for a fixed time. */
public final class RunOptions {
    @Option(
            names = "--minutes",
            paramLabel = "N",
            description =
                    "Stop after N minutes (0: start, report and stop); default: until Ctrl-C.")
    Long minutes;

    @Option(names = "--seconds", hidden = true, description = "Stop after N seconds.")
    Long seconds;

    /** Returns how long to run, or empty to run until the process is interrupted. */
    public Optional<Duration> duration() {
        if (seconds != null) {
            return Optional.of(Duration.ofSeconds(nonNegative("--seconds", seconds)));
        }
        if (minutes != null) {
            return Optional.of(Duration.ofMinutes(nonNegative("--minutes", minutes)));
        }
        return Optional.empty();
    }

    private static long nonNegative(String option, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " must be 0 or more, was " + value);
        }
        return value;
    }
}
