package io.forwardloop.trainer;

import io.forwardloop.adapter.ZerothOrderStep;
import java.util.List;

/**
 * One zeroth-order step the trainer applied: an entry of the step log.
 *
 * @param version the adapter version after the step
 * @param step seed, projected gradient and learning rate; the update is theta - lr * g * z
 * @param epsilon the perturbation scale of the signal the step came from
 * @param signalIds the signal the step applies; empty for a momentum step that re-applies an
 *     earlier signal's direction
 */
public record AppliedStep(
        long version, ZerothOrderStep step, double epsilon, List<String> signalIds) {
    /** Copies the ids. */
    public AppliedStep {
        signalIds = List.copyOf(signalIds);
    }

    /** The version the step was applied to. */
    public long baseVersion() {
        return version - 1;
    }
}
