package io.forwardloop.adapter;

import java.util.Objects;

/**
 * A mini-batch of recycled activations with their label indices.
 *
 * <p>The arrays are shared, not copied; callers must not change them while the batch is in use.
 *
 * @param activations one activation per example, each of the adapter's input width
 * @param labels the label index of each example, in the spec's label order
 */
public record LabeledBatch(float[][] activations, int[] labels) {
    /** Checks that there is at least one example and one label per activation. */
    public LabeledBatch {
        Objects.requireNonNull(activations, "activations");
        Objects.requireNonNull(labels, "labels");
        if (activations.length == 0 || activations.length != labels.length) {
            throw new IllegalArgumentException(
                    "a batch needs one label per activation and at least one example, got "
                            + activations.length
                            + " activations and "
                            + labels.length
                            + " labels");
        }
    }

    /** The number of examples. */
    public int size() {
        return labels.length;
    }
}
