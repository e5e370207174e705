package io.forwardloop.ingest.adapters;

import ai.onnxruntime.OrtException;
import io.forwardloop.ingest.adapters.internal.LoadedAdapter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request's hold on one adapter version: the version stays loaded until the lease is closed, even
 * if a newer version replaces it meanwhile.
 */
public final class AdapterLease implements AutoCloseable {
    private final ServedAdapter adapter;
    private final AtomicBoolean closed = new AtomicBoolean();

    AdapterLease(ServedAdapter adapter) {
        this.adapter = adapter;
    }

    /** The version this lease holds. */
    public ServedAdapter adapter() {
        return adapter;
    }

    /**
     * Scores a batch of activations in one ONNX Runtime run: class probabilities for a low-rank
     * classifier, total goodness per label for a Forward-Forward adapter.
     *
     * @return one row of {@code labels().size()} scores per activation
     */
    public float[][] score(float[][] activations) {
        if (closed.get()) {
            throw new IllegalStateException("lease on " + adapter + " is closed");
        }
        LoadedAdapter loaded = adapter.loaded();
        try {
            return loaded.run(activations);
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "ONNX Runtime failed to run " + adapter + ": " + e.getMessage(), e);
        }
    }

    /** Releases the version; the last release of a replaced version closes it. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            adapter.loaded().release();
        }
    }
}
