package io.forwardloop.trainer;

import io.forwardloop.adapter.LabeledBatch;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The newest held-out examples, at most {@code capacity} of them: what candidates and the serving
 * version are evaluated on. Memory is bounded by the capacity. Not thread-safe.
 */
public final class HoldoutWindow {
    private final int capacity;
    private final List<String> labels;
    private final ArrayDeque<float[]> activations = new ArrayDeque<>();
    private final ArrayDeque<Integer> labelIndices = new ArrayDeque<>();
    private long added;
    private long skipped;

    /** A window over examples labeled with one of {@code labels}. */
    public HoldoutWindow(int capacity, List<String> labels) {
        if (capacity < 1) {
            throw new IllegalArgumentException(
                    "holdout window capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.labels = List.copyOf(labels);
    }

    /**
     * Adds an example, evicting the oldest when full; an unknown label or a wrong width is skipped
     * and counted.
     *
     * @return whether it was added
     */
    public boolean add(float[] activation, String label, int inputDim) {
        int index = labels.indexOf(label);
        if (index < 0 || activation.length != inputDim) {
            skipped++;
            return false;
        }
        if (activations.size() == capacity) {
            activations.removeFirst();
            labelIndices.removeFirst();
        }
        activations.addLast(activation);
        labelIndices.addLast(index);
        added++;
        return true;
    }

    /** The examples held now, oldest first. */
    public LabeledBatch snapshot() {
        float[][] x = activations.toArray(new float[0][]);
        int[] y = labelIndices.stream().mapToInt(Integer::intValue).toArray();
        return new LabeledBatch(x, y);
    }

    public int size() {
        return activations.size();
    }

    /** Examples added since creation, evicted ones included. */
    public long added() {
        return added;
    }

    /** Examples skipped for an unknown label or a wrong width. */
    public long skipped() {
        return skipped;
    }

    public List<String> labels() {
        return labels;
    }
}
