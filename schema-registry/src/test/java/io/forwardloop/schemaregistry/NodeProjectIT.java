package io.forwardloop.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The test support that runs Node.js scripts: output, failures and hung scripts. */
class NodeProjectIT {
    @TempDir Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a guard: a run blocked on the script hangs
    void shouldKillAScriptThatRunsPastItsTimeout() throws Exception {
        Files.writeString(
                dir.resolve("hang.mjs"), "console.log('started'); setInterval(() => {}, 1000);\n");
        NodeProject project = new NodeProject(dir, Duration.ofSeconds(2));

        assertThatThrownBy(() -> project.run("hang.mjs", ""))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("node hang.mjs did not finish within 2 s and was killed");
    }

    @Test
    void shouldReturnEveryByteOfAScriptThatWritesMoreThanAPipeHolds() throws Exception {
        Files.writeString(
                dir.resolve("echo.mjs"),
                "let input = '';\n"
                    + "process.stdin.on('data', d => input += d);\n"
                    + "process.stdin.on('end', () => process.stdout.write(input.repeat(64)));\n");
        String line = "x".repeat(16_383) + "\n";

        String output = new NodeProject(dir).run("echo.mjs", line);

        assertThat(output).hasSize(64 * line.length()).isEqualTo(line.repeat(64));
    }

    @Test
    void shouldReportTheExitCodeAndErrorsOfAFailingScript() throws Exception {
        Files.writeString(
                dir.resolve("fail.mjs"), "console.error('no registry here'); process.exit(3);\n");

        assertThatThrownBy(() -> new NodeProject(dir).run("fail.mjs", "{}"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("exit code 3")
                .hasMessageContaining("no registry here");
    }
}
