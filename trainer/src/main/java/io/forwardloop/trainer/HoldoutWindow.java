package io.forwardloop.trainer;

import io.forwardloop.adapter.LabeledBatch;
import java.util.List;

/**
 * The newest held-out examples, at most {@code capacity} of them: what candidates and the serving
 * version are evaluated on. Not thread-safe.
 *
 * <p>Examples sit in a ring of {@code float[]} activations and {@code int} label indices, nothing
 * boxed, so the window holds at most about {@code capacity × inputDim × 4} bytes of activations
 * plus a few bytes per slot ({@link #retainedBytes()}).
 */
public final class HoldoutWindow {
    private static final long ARRAY_HEADER_BYTES = 16;
    private static final long SLOT_BYTES = Integer.BYTES + 8;

    private final int capacity;
    private final int inputDim;
    private final List<String> labels;
    private final float[][] activations;
    private final int[] labelIndices;
    private int oldest;
    private int size;
    private long added;
    private long skipped;

    /**
     * A window over activations of width {@code inputDim} labeled with one of {@code labels}.
     *
     * @throws IllegalArgumentException when capacity or width is below 1
     */
    public HoldoutWindow(int capacity, int inputDim, List<String> labels) {
        if (capacity < 1 || inputDim < 1) {
            throw new IllegalArgumentException(
                    "holdout window capacity and input width must be >= 1, got "
                            + capacity
                            + " and "
                            + inputDim);
        }
        this.capacity = capacity;
        this.inputDim = inputDim;
        this.labels = List.copyOf(labels);
        this.activations = new float[capacity][];
        this.labelIndices = new int[capacity];
    }

    /**
     * Adds an example, evicting the oldest when full; an unknown label or a wrong width is skipped
     * and counted. The window keeps {@code activation} itself: do not change it afterwards.
     *
     * @return whether it was added
     */
    public boolean add(float[] activation, String label) {
        int index = labels.indexOf(label);
        if (index < 0 || activation.length != inputDim) {
            skipped++;
            return false;
        }
        int slot = (oldest + size) % capacity;
        if (size == capacity) {
            oldest = (oldest + 1) % capacity;
        } else {
            size++;
        }
        activations[slot] = activation;
        labelIndices[slot] = index;
        added++;
        return true;
    }

    /** The examples held now, oldest first; the activations are shared, not copied. */
    public LabeledBatch snapshot() {
        float[][] x = new float[size][];
        int[] y = new int[size];
        for (int n = 0; n < size; n++) {
            int slot = (oldest + n) % capacity;
            x[n] = activations[slot];
            y[n] = labelIndices[slot];
        }
        return new LabeledBatch(x, y);
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
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

    /**
     * An estimate of the heap the window holds now, in bytes: the activations held ({@code size ×
     * (inputDim × 4 + array header)}) plus the ring's slots ({@code capacity × 12}).
     */
    public long retainedBytes() {
        long row = (long) inputDim * Float.BYTES + ARRAY_HEADER_BYTES;
        return size * row + capacity * SLOT_BYTES + 2 * ARRAY_HEADER_BYTES;
    }

    /** The most {@link #retainedBytes()} can reach, once the window is full. */
    public long maxRetainedBytes() {
        long row = (long) inputDim * Float.BYTES + ARRAY_HEADER_BYTES;
        return capacity * (row + SLOT_BYTES) + 2 * ARRAY_HEADER_BYTES;
    }
}
