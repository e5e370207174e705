package io.forwardloop.ingest.logging.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Turns a stream of dropped records into at most one WARN per interval, with the count, the latest
 * error and what to do about it.
 */
public final class DropWarnings {
    private final long intervalMs;
    private final String advice;
    private final AtomicLong sinceLastWarning = new AtomicLong();
    private final AtomicLong lastWarningMs = new AtomicLong(Long.MIN_VALUE / 2);

    /**
     * @param intervalMs the least time between two warnings
     * @param advice what an operator can do, ending the warning
     */
    public DropWarnings(long intervalMs, String advice) {
        this.intervalMs = intervalMs;
        this.advice = advice;
    }

    /** Counts one dropped record and warns if the interval since the last warning has passed. */
    public void dropped(String topic, String reason, Logger log) {
        dropped(topic, reason, null, log);
    }

    /**
     * Counts one dropped record and warns if the interval since the last warning has passed.
     *
     * @param detail the error that made this record drop, or null
     */
    public void dropped(String topic, String reason, String detail, Logger log) {
        sinceLastWarning.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastWarningMs.get();
        if (now - last >= intervalMs && lastWarningMs.compareAndSet(last, now)) {
            long reported = sinceLastWarning.getAndSet(0);
            log.warn(
                    "dropped {} record(s) for {} ({}{}); {}",
                    reported,
                    topic,
                    reason,
                    detail == null ? "" : ": " + detail,
                    advice);
        }
    }
}
