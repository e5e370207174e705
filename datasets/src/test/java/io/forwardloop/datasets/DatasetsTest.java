package io.forwardloop.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.datasets.internal.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir Path dir;

    @Test
    void shouldUseTheCachedFileWithoutFetching() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path cached =
                Files.writeString(
                        cache.resolve("uci.jsonl"),
                        "{\"text\":\"cached\",\"label\":\"positive\",\"domain\":\"yelp\"}\n");

        assertThat(Datasets.fetch("uci", cache)).isEqualTo(cached);
        assertThat(Datasets.load("uci", cache))
                .containsExactly(new LabeledText("cached", "positive", "yelp"));
    }

    @Test
    void shouldRefuseAnArchiveWithTheWrongHashAndCacheNothing() throws IOException {
        Path archive = Files.writeString(dir.resolve("sentiment-5.0.2.tgz"), "not the package");
        Path cache = dir.resolve("cache");

        assertThatThrownBy(() -> Datasets.importArchive("uci", archive, cache))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining(archive.toString())
                .hasMessageContaining(DatasetCatalog.UCI.sha256())
                .hasMessageContaining(Sha256.of(archive));
        assertThat(cache).doesNotExist();
    }
}
