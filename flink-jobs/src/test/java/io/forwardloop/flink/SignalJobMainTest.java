package io.forwardloop.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignalJobMainTest {
    @TempDir Path dir;

    @Test
    void shouldReadTheConfigFileAndApplyOverrides() throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "signal.batch.size=8\nholdout.share=0.2\n");

        assertThat(
                        SignalJobMain.settings(
                                new String[] {
                                    "--config", file.toString(), "--set", "holdout.share=0.3"
                                }))
                .containsEntry("signal.batch.size", "8")
                .containsEntry("holdout.share", "0.3");
    }

    @Test
    void shouldRejectAnUnknownOptionWithTheUsage() {
        assertThatThrownBy(() -> SignalJobMain.settings(new String[] {"--parallelism", "4"}))
                .hasMessageContaining("unknown option --parallelism")
                .hasMessageContaining("usage: --config FILE");
    }

    @Test
    void shouldRejectASetWithoutEquals() {
        assertThatThrownBy(() -> SignalJobMain.settings(new String[] {"--set", "holdout.share"}))
                .hasMessageContaining("--set takes key=value");
    }
}
