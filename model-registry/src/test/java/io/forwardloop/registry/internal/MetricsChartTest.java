package io.forwardloop.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.Lineage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsChartTest {
    private static AdapterVersion version(long v, Map<String, Double> metrics) {
        return new AdapterVersion(
                "a<b",
                v,
                "0".repeat(64),
                1,
                "LOW_RANK_CLASSIFIER",
                "enc",
                List.of("x"),
                metrics,
                Map.of(),
                Lineage.none(),
                0,
                null);
    }

    @Test
    void shouldDrawOnePointPerVersionAndMetricWithTheExactValue() {
        String svg =
                MetricsChart.svg(
                        List.of(
                                version(1, Map.of("accuracy", 0.5)),
                                version(2, Map.of()),
                                version(3, Map.of("accuracy", 0.625, "f1<x>", 0.1))));

        assertThat(svg).contains("data-metric=\"accuracy\" data-version=\"1\" data-value=\"0.5\"");
        assertThat(svg)
                .contains("data-metric=\"accuracy\" data-version=\"3\" data-value=\"0.625\"");
        assertThat(svg).contains("data-metric=\"f1&lt;x&gt;\"").doesNotContain("f1<x>");
        assertThat(svg.split("<circle", -1)).hasSize(4);
    }

    @Test
    void shouldSaySoWhenNoVersionHasMetrics() {
        assertThat(MetricsChart.svg(List.of(version(1, Map.of()))))
                .contains("No version has holdout metrics");
    }
}
