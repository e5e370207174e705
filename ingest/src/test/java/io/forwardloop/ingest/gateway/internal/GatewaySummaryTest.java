package io.forwardloop.ingest.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.ingest.adapters.AdapterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class GatewaySummaryTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private AdapterRegistry adapters;

    @BeforeEach
    void captureLog() {
        lines.start();
        ((Logger) LoggerFactory.getLogger(GatewaySummary.class)).addAppender(lines);
        adapters = new AdapterRegistry(4, Map.of(), 1, meters);
        adapters.seed(
                "sentiment", AdapterSpec.lowRankClassifier(4, 2, List.of("neg", "pos")).build(), 1);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(GatewaySummary.class)).detachAppender(lines);
        adapters.close();
    }

    @Test
    void shouldReportWhatHappenedSinceTheLastLine() {
        try (GatewaySummary summary = new GatewaySummary("gw-1", meters, adapters, 3_600_000)) {
            request("predict", 200, 5);
            request("feedback", 202, 2);
            request("predict", 400, 1);
            meters.counter("gateway.log.sent", "topic", "raw-inference-records").increment(4);
            meters.counter("gateway.log.dropped", "topic", "raw-feedback", "reason", "full")
                    .increment();
            summary.log();
            request("predict", 200, 3);
            summary.log();
        }

        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "gateway gw-1: 5 predictions, 2 feedback, 1 refused requests, 4 records"
                                + " logged, 1 dropped; serving sentiment v0",
                        "gateway gw-1: 3 predictions, 0 feedback, 0 refused requests, 0 records"
                                + " logged, 0 dropped; serving sentiment v0");
    }

    private void request(String endpoint, int status, int times) {
        meters.counter("gateway.requests", "endpoint", endpoint, "status", "" + status)
                .increment(times);
    }
}
