package io.forwardloop.ingest.logging.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Turns a stream of dropped records into at most one WARN per interval, with the count. */
public final class DropWarnings {
    private final long intervalMs;
    private final AtomicLong sinceLastWarning = new AtomicLong();
    private final AtomicLong lastWarningMs = new AtomicLong(Long.MIN_VALUE / 2);

    public DropWarnings(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /** Counts one dropped record and warns if the interval since the last warning has passed. */
    public void dropped(String topic, String reason, Logger log) {
        sinceLastWarning.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastWarningMs.get();
        if (now - last >= intervalMs && lastWarningMs.compareAndSet(last, now)) {
            long reported = sinceLastWarning.getAndSet(0);
            log.warn(
                    "dropped {} record(s) for {} ({}); raise gateway.log.buffer.max.records or"
                            + " restore Kafka",
                    reported,
                    topic,
                    reason);
        }
    }
}
