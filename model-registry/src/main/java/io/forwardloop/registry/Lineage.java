package io.forwardloop.registry;

/**
 * Where an adapter version came from: the version it was trained from, the range of trainer steps
 * applied to it, and the window of data those steps saw.
 *
 * <p>Every field may be null: a first version has no parent, a hand-made one no steps.
 *
 * @param parentVersion the version of the same adapter this one was trained from
 * @param stepFrom the first step of the step log applied (inclusive)
 * @param stepTo the last step of the step log applied (inclusive)
 * @param dataFromMs the start of the data window, milliseconds since the epoch
 * @param dataToMs the end of the data window, milliseconds since the epoch
 */
public record Lineage(
        Long parentVersion, Long stepFrom, Long stepTo, Long dataFromMs, Long dataToMs) {

    /** A lineage that names nothing. */
    public static Lineage none() {
        return new Lineage(null, null, null, null, null);
    }

    /** Returns the number of steps in the range, or null when the range is not known. */
    public Long stepCount() {
        return stepFrom == null || stepTo == null ? null : stepTo - stepFrom + 1;
    }
}
