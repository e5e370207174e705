package io.forwardloop.ingest.streams.internal;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ingest topology's counters, tagged by the raw topic a record came from: {@code
 * ingest.records.validated}, {@code ingest.records.dead.lettered} (also by reason) and {@code
 * ingest.duplicates.dropped}.
 *
 * <p>They count processing, not committed output: a task that is aborted and replayed under
 * exactly-once counts its records again.
 */
public final class IngestCounters {
    public static final String VALIDATED = "ingest.records.validated";
    public static final String DEAD_LETTERED = "ingest.records.dead.lettered";
    public static final String DUPLICATES = "ingest.duplicates.dropped";

    private final MeterRegistry meters;

    public IngestCounters(MeterRegistry meters) {
        this.meters = meters;
    }

    /** A record passed to its validated topic. */
    public void validated(String topic) {
        meters.counter(VALIDATED, "topic", topic).increment();
    }

    /** A record went to {@code dead-letters} for {@code reason}. */
    public void deadLettered(String topic, String reason) {
        meters.counter(DEAD_LETTERED, "topic", topic, "reason", reason).increment();
    }

    /** A repeat of an id seen within the window was dropped. */
    public void duplicate(String topic) {
        meters.counter(DUPLICATES, "topic", topic).increment();
    }
}
