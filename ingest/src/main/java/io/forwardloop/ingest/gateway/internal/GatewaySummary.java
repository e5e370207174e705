package io.forwardloop.ingest.gateway.internal;

import io.forwardloop.ingest.adapters.AdapterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one INFO line per interval with what the gateway did since the last one: predictions,
 * feedback, refused requests, records logged and dropped, and the adapter versions it serves.
 */
public final class GatewaySummary implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewaySummary.class);

    private final String gatewayId;
    private final MeterRegistry meters;
    private final AdapterRegistry adapters;
    private final ScheduledExecutorService timer;
    private Totals last = new Totals(0, 0, 0, 0, 0);

    /** Starts logging every {@code intervalMs} milliseconds. */
    public GatewaySummary(
            String gatewayId, MeterRegistry meters, AdapterRegistry adapters, long intervalMs) {
        this.gatewayId = gatewayId;
        this.meters = meters;
        this.adapters = adapters;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "gateway-summary");
                            t.setDaemon(true);
                            return t;
                        });
        timer.scheduleAtFixedRate(this::log, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    void log() {
        Totals now = totals();
        LOG.info(
                "gateway {}: {} predictions, {} feedback, {} refused requests, {} records logged,"
                        + " {} dropped; serving {}",
                gatewayId,
                now.predictions - last.predictions,
                now.feedback - last.feedback,
                now.refused - last.refused,
                now.logged - last.logged,
                now.dropped - last.dropped,
                adapters.adapters().stream()
                        .map(a -> a.name() + " v" + a.version())
                        .collect(Collectors.joining(", ")));
        last = now;
    }

    private Totals totals() {
        return new Totals(
                requests(tag -> tag.equals("predict"), status -> status < 400),
                requests(tag -> tag.equals("feedback"), status -> status < 400),
                requests(tag -> true, status -> status >= 400),
                sum("gateway.log.sent"),
                sum("gateway.log.dropped"));
    }

    private long requests(Predicate<String> endpoint, Predicate<Integer> status) {
        return (long)
                meters.find("gateway.requests").counters().stream()
                        .filter(c -> endpoint.test(c.getId().getTag("endpoint")))
                        .filter(c -> status.test(Integer.parseInt(c.getId().getTag("status"))))
                        .mapToDouble(Counter::count)
                        .sum();
    }

    private long sum(String name) {
        return (long) meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private record Totals(
            long predictions, long feedback, long refused, long logged, long dropped) {}
}
