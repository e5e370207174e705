package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterParameters;

/**
 * Told about an offline training run's progress, for progress bars and learning curves.
 *
 * <p>Called on the training thread with the live parameters; a listener must not change them. Time
 * a listener spends is not counted in the run's training time.
 */
@FunctionalInterface
public interface ProgressListener {
    /** Does nothing. */
    ProgressListener NONE = (signals, total, params) -> {};

    /**
     * Called every so many signals and once at the end.
     *
     * @param signals the signals applied so far
     * @param total the signals the run will apply at most
     * @param params the parameters after those signals
     */
    void onProgress(long signals, long total, AdapterParameters params);
}
