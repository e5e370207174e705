package io.forwardloop.bench.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
    @Test
    void shouldTabulateGapsAndHeapAndWriteTheMarkdownPage(@TempDir Path dir) throws Exception {
        TrainerBenchmark.Row row =
                new TrainerBenchmark.Row(
                        "uci", "minilm", "zo", 0.9, 0.5, 100, 1.25, 80, 20, Map.of());
        HeapMeasurement.Result heap = HeapMeasurement.measure(200);

        String table = Reports.table(List.of(row));
        Reports.writeMarkdown(
                dir.resolve("trainer.md"),
                table,
                List.of(heap),
                Map.of("uci / minilm", "c.png"),
                "cmd");

        assertThat(table).contains("| uci | minilm | zo | 0.9000 | +0.50 | 100 | 1.3 |");
        assertThat(heap.signals()).isEqualTo(200);
        assertThat(heap.adapterBytes()).isEqualTo(4L * (384 + 384 + 2 * 384 + 2));
        assertThat(heap.withHoldoutBytes())
                .as("the window holds the 200 activations of 384 floats it was fed")
                .isGreaterThan(100L * 384 * 4);
        assertThat(heap.holdoutBoundBytes()).isGreaterThan(2000L * 384 * 4);
        assertThat(Files.readString(dir.resolve("trainer.md")))
                .contains("![uci / minilm](c.png)")
                .contains("| 200 | 6152 |");
    }
}
