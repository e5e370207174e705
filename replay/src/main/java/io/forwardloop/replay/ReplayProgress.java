package io.forwardloop.replay;

/** Receives the progress of a replay: the work in all, then how much of it is done. */
public interface ReplayProgress {
    /** A listener that ignores everything. */
    ReplayProgress NONE = new ReplayProgress() {};

    /**
     * Called once before work starts.
     *
     * @param total units of work in all: records to send, records the signal job reads over all
     *     training rounds, or offsets of a Kafka range to export
     * @param done units already done by an earlier run
     */
    default void started(long total, long done) {}

    /** Called as work advances, with the units done so far, earlier runs included. */
    default void advanced(long done) {}
}
