package io.forwardloop.ingest.adapters.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoraAdapter;
import ai.onnxruntime.OrtSession;
import io.forwardloop.adapter.AdapterGraphs;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One adapter version loaded into ONNX Runtime: its {@link OrtLoraAdapter} and the shared session
 * of its graph shape, with a reference count so that the adapter is closed only after the last
 * request using it has finished.
 *
 * <p>The count starts at one, the reference the registry holds while the version is current.
 */
public final class LoadedAdapter {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final OrtLoraAdapter adapter;
    private final String output;
    private final AtomicInteger references = new AtomicInteger(1);

    public LoadedAdapter(
            OrtEnvironment environment, OrtSession session, OrtLoraAdapter adapter, String output) {
        this.environment = environment;
        this.session = session;
        this.adapter = adapter;
        this.output = output;
    }

    /** Takes a reference; false once the adapter has been released for good. */
    public boolean tryAcquire() {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the ONNX Runtime adapter. */
    public void release() {
        if (references.decrementAndGet() == 0) {
            adapter.close();
        }
    }

    /** Whether the ONNX Runtime adapter has been closed. */
    public boolean isClosed() {
        return references.get() == 0;
    }

    /** Runs the graph on a batch of activations with this adapter active; one row per input. */
    public float[][] run(float[][] activations) throws OrtException {
        try (OrtSession.RunOptions options = new OrtSession.RunOptions();
                OnnxTensor input = OnnxTensor.createTensor(environment, activations)) {
            options.addActiveLoraAdapter(adapter);
            try (OrtSession.Result result =
                    session.run(Map.of(AdapterGraphs.ACTIVATION, input), options)) {
                return (float[][]) result.get(output).orElseThrow().getValue();
            }
        }
    }
}
