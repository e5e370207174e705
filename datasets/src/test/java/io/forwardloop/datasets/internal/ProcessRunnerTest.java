package io.forwardloop.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.datasets.DatasetFetchException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

    @TempDir Path dir;

    @Test
    void shouldSayWhatToInstallWhenTheClientIsMissing() {
        ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(10));

        assertThatThrownBy(
                        () ->
                                runner.run(
                                        List.of("forwardloop-no-such-client"),
                                        dir,
                                        "Node.js and npm"))
                .isInstanceOf(DatasetFetchException.class)
                .hasMessageContaining("cannot run 'forwardloop-no-such-client'")
                .hasMessageContaining("install Node.js and npm");
    }

    @Test
    void shouldReturnExitCodeAndOutput() {
        ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(10));

        ProcessRunner.Result result = runner.run(List.of("sh", "-c", "echo hi; exit 3"), dir, "sh");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.tail()).isEqualTo("hi");
    }
}
