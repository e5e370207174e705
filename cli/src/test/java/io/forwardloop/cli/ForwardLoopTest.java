package io.forwardloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ForwardLoopTest {
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

        assertThat(out.toString())
                .contains(
                        "quickstart",
                        "platform",
                        "topics",
                        "gateway",
                        "train",
                        "trainer",
                        "replay",
                        "registry",
                        "bench",
                        "help");
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
