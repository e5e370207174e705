package io.forwardloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ForwardLoopTest {
    /** A row of picocli's command list: two spaces, the name, then its description. */
    private static final Pattern COMMAND_ROW = Pattern.compile("^  ([a-z]+)\\s{2,}\\S.*");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = ForwardLoop.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void shouldListEveryCommandInTheHelp() {
        assertThat(run("--help")).isZero();

        List<String> listed =
                out.toString()
                        .lines()
                        .map(line -> COMMAND_ROW.matcher(line))
                        .filter(Matcher::matches)
                        .map(m -> m.group(1))
                        .toList();
        assertThat(listed)
                .containsExactlyInAnyOrder(
                        "quickstart",
                        "platform",
                        "topics",
                        "gateway",
                        "ingest",
                        "train",
                        "trainer",
                        "replay",
                        "registry",
                        "bench",
                        "help");
    }

    @Test
    void shouldListEveryBenchmark() {
        assertThat(run("bench", "--help")).isZero();

        assertThat(out.toString().lines().map(COMMAND_ROW::matcher).filter(Matcher::matches))
                .extracting(m -> m.group(1))
                .containsExactlyInAnyOrder("gateway", "signals", "registry", "trainer", "help");
    }

    @Test
    void shouldRefuseTheTrainerServiceWithoutItsClusterKeys() {
        assertThat(run("trainer", "--set", "trainer.adapter.name=sentiment")).isEqualTo(2);

        assertThat(err.toString()).contains("kafka.bootstrap.servers");
    }

    @Test
    void shouldPrintTheVersion() {
        assertThat(run("--version")).isZero();

        assertThat(out.toString()).contains("forwardloop 0.1.0");
    }

    @Test
    void shouldFailWithUsageCodeWithoutACommand() {
        assertThat(run()).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("Missing command", "quickstart");
    }

    @Test
    void shouldFailWithUsageCodeOnAnUnknownOption() {
        assertThat(run("quickstart", "--colour")).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("Unknown option: '--colour'");
    }

    @Test
    void shouldNameTheKeyWhenTopicsCreateLacksBootstrapServers() {
        assertThat(run("topics", "create")).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("kafka.bootstrap.servers");
    }

    @Test
    void shouldRejectANegativeDuration() {
        assertThat(run("platform", "--minutes", "-1")).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("--minutes must be 0 or more, was -1");
    }
}
