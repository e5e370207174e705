package io.forwardloop.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetCatalogTest {

    @Test
    void shouldListBothDataSetsWithPinnedHashes() {
        assertThat(DatasetCatalog.names()).containsExactly("uci", "mr");
        assertThat(DatasetCatalog.get(" UCI ")).isSameAs(DatasetCatalog.UCI);
        assertThat(DatasetCatalog.all())
                .allSatisfy(d -> assertThat(d.sha256()).matches("[0-9a-f]{64}"));
        assertThat(DatasetCatalog.MR.cacheFileName()).isEqualTo("mr.jsonl");
    }

    @Test
    void shouldNameKnownDataSetsWhenTheNameIsUnknown() {
        assertThatThrownBy(() -> DatasetCatalog.get("sst2"))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("no data set named 'sst2'; known data sets: [uci, mr]");
    }

    @Test
    void shouldReadConfigWithDefaultsAndValidation() {
        DatasetsConfig defaults = DatasetsConfig.defaults();
        DatasetsConfig custom =
                DatasetsConfig.from(
                        Map.of("datasets.cache.dir", "/tmp/x", "datasets.fetch.timeout.ms", 5));

        assertThat(defaults.cacheDir()).isEqualTo(Path.of("data", "datasets"));
        assertThat(defaults.fetchTimeout().toMillis()).isEqualTo(300_000);
        assertThat(custom.cacheDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(custom.fetchTimeout().toMillis()).isEqualTo(5);
        assertThatThrownBy(() -> DatasetsConfig.from(Map.of("datasets.fetch.timeout.ms", "0")))
                .hasMessageContaining("datasets.fetch.timeout.ms must be a whole number")
                .hasMessageContaining("but is '0'");
        assertThatThrownBy(() -> DatasetsConfig.from(Map.of("datasets.cache.directory", "x")))
                .hasMessageContaining("unknown configuration key 'datasets.cache.directory'");
    }
}
