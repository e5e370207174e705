package io.forwardloop.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.Lineage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsChartTest {
    private static final Pattern CX =
            Pattern.compile("data-version=\"(\\d+)\" data-time=\"\\d+\"[^>]* cx=\"([0-9.]+)\"");

    private static AdapterVersion version(long v, long publishedAtMs, Map<String, Double> metrics) {
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
                publishedAtMs,
                null);
    }

    @Test
    void shouldDrawOnePointPerVersionAndMetricWithTheExactValueAndTime() {
        String svg =
                MetricsChart.svg(
                        List.of(
                                version(1, 1_000, Map.of("accuracy", 0.5)),
                                version(2, 1_500, Map.of()),
                                version(3, 11_000, Map.of("accuracy", 0.625, "f1<x>", 0.1))));

        assertThat(svg)
                .contains(
                        "data-metric=\"accuracy\" data-version=\"1\" data-time=\"1000\""
                                + " data-value=\"0.5\"");
        assertThat(svg)
                .contains(
                        "data-metric=\"accuracy\" data-version=\"3\" data-time=\"11000\""
                                + " data-value=\"0.625\"");
        assertThat(svg).contains("data-metric=\"f1&lt;x&gt;\"").doesNotContain("f1<x>");
        assertThat(svg).contains("<title>v3: accuracy = 0.625, published 1970-01-01 00:00:11");
        assertThat(svg.split("<circle", -1)).hasSize(4);
    }

    @Test
    void shouldPlacePointsByPublicationTimeNotByVersionNumber() {
        String svg =
                MetricsChart.svg(
                        List.of(
                                version(1, 0, Map.of("accuracy", 0.5)),
                                version(2, 1_000, Map.of("accuracy", 0.6)),
                                version(3, 10_000, Map.of("accuracy", 0.7))));

        Map<String, Double> x = new TreeMap<>();
        Matcher m = CX.matcher(svg);
        while (m.find()) {
            x.put(m.group(1), Double.parseDouble(m.group(2)));
        }

        double width = x.get("3") - x.get("1");
        assertThat(width).isPositive();
        assertThat((x.get("2") - x.get("1")) / width).isCloseTo(0.1, within(0.001));
        assertThat(svg).contains("data-from-ms=\"0\" data-to-ms=\"10000\"");
        assertThat(svg).contains("1970-01-01 00:00:00").contains("1970-01-01 00:00:10");
        assertThat(svg).contains("publication time (UTC)");
    }

    @Test
    void shouldLeaveOutVersionLabelsThatWouldOverlap() {
        String svg =
                MetricsChart.svg(
                        List.of(
                                version(1, 0, Map.of("accuracy", 0.5)),
                                version(2, 1, Map.of("accuracy", 0.6)),
                                version(3, 100_000, Map.of("accuracy", 0.7))));

        assertThat(svg).contains("class=\"version-label\" data-version=\"1\"");
        assertThat(svg).doesNotContain("class=\"version-label\" data-version=\"2\"");
        assertThat(svg).contains("class=\"version-label\" data-version=\"3\"");
    }

    @Test
    void shouldCentreVersionsPublishedAtTheSameMoment() {
        String svg = MetricsChart.svg(List.of(version(1, 5_000, Map.of("accuracy", 0.5))));

        assertThat(svg).contains("cx=\"328.0\"");
        assertThat(svg).contains("1970-01-01 00:00:05");
    }

    @Test
    void shouldSaySoWhenNoVersionHasMetrics() {
        assertThat(MetricsChart.svg(List.of(version(1, 0, Map.of()))))
                .contains("No version has holdout metrics");
    }
}
