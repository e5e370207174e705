package io.forwardloop.datasets;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.datasets.internal.ProcessRunner;
import io.forwardloop.datasets.internal.Sha256;
import io.forwardloop.datasets.internal.UciSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches the real data sets with npm and apt-get; needs both clients and their registries. */
class DatasetsIT {

    @TempDir Path cache;
    @TempDir Path scratch;

    @Test
    void shouldFetchUciWith1000SentencesPerDomainAndBalancedLabels() {
        List<LabeledText> uci = Datasets.load("uci", cache);

        assertThat(uci).hasSize(3000);
        assertThat(count(uci, LabeledText::label))
                .containsExactlyInAnyOrderEntriesOf(Map.of("positive", 1500L, "negative", 1500L));
        assertThat(count(uci, LabeledText::domain))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("amazon", 1000L, "imdb", 1000L, "yelp", 1000L));
        assertThat(uci.get(0))
                .isEqualTo(
                        new LabeledText(
                                "So there is no way for me to plug it in here in the US unless I"
                                        + " go by a converter.",
                                "negative",
                                "amazon"));
        assertThat(cache).isDirectoryContaining("glob:**/uci.jsonl");
    }

    @Test
    void shouldFetchMrWith2000SentencesPerLabel() throws IOException {
        Path file = Datasets.fetch("mr", cache);
        List<LabeledText> mr = DatasetReader.read(file);

        assertThat(mr).hasSize(4000);
        assertThat(count(mr, LabeledText::label))
                .containsExactlyInAnyOrderEntriesOf(Map.of("positive", 2000L, "negative", 2000L));
        assertThat(mr.get(0).text()).startsWith("the rock is destined").doesNotEndWith(" ");
        assertThat(Datasets.fetch("mr", cache)).isEqualTo(file);
        try (var files = Files.list(cache)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void shouldRefuseATamperedPackageArchive() throws IOException {
        ProcessRunner runner = new ProcessRunner(Duration.ofMinutes(5));
        Path archive = new UciSource().download(scratch, runner);
        assertThat(Sha256.of(archive)).isEqualTo(DatasetCatalog.UCI.sha256());
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 1;
        Path tampered = Files.write(scratch.resolve("tampered-" + archive.getFileName()), bytes);

        assertThatThrownBy(() -> Datasets.importArchive("uci", tampered, cache))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining(tampered.toString())
                .hasMessageContaining(DatasetCatalog.UCI.sha256())
                .hasMessageContaining(Sha256.of(tampered));
        assertThat(cache).isEmptyDirectory();
        assertThat(DatasetReader.read(Datasets.importArchive("uci", archive, cache))).hasSize(3000);
    }

    private static Map<String, Long> count(
            List<LabeledText> texts, Function<LabeledText, String> key) {
        return texts.stream().collect(groupingBy(key, counting()));
    }
}
