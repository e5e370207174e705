package io.forwardloop.loop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopReportTest {
    @Test
    void shouldWriteTheReportKeysInSnakeCase() {
        LoopReport report =
                new LoopReport(
                        0.9, 0.92, 1, 5, 400, 100, 80, 0, 0, 3, 80, 16, 64, 0, 0, true, 128, 128, 2,
                        0, 60.0, 12.5, 40.0, 10, 8, 1, 1);

        assertThat(report.toJson())
                .contains("\"initial_accuracy\" : 0.9")
                .contains("\"final_accuracy\" : 0.92")
                .contains("\"serving_version\" : 5")
                .contains("\"feedback_events\" : 80")
                .contains("\"signals\" : 128")
                .contains("\"steps\" : 128")
                .contains("\"seconds\" : 60.0")
                .contains("\"freshness_p50_s\" : 12.5")
                .contains("\"freshness_p99_s\" : 40.0");
    }
}
