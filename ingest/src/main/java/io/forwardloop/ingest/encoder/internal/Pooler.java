package io.forwardloop.ingest.encoder.internal;

import io.forwardloop.ingest.encoder.Pooling;
import java.nio.FloatBuffer;

/** Pools per-token hidden states into one L2-normalised vector per text. */
final class Pooler {
    private Pooler() {}

    /**
     * Pools {@code hidden}, the row-major {@code [size, length, dimension]} output of the model.
     */
    static float[][] pool(FloatBuffer hidden, TokenBatch batch, int dimension, Pooling pooling) {
        float[][] pooled = new float[batch.size()][];
        for (int b = 0; b < batch.size(); b++) {
            pooled[b] =
                    pooling == Pooling.CLS
                            ? first(hidden, batch, dimension, b)
                            : mean(hidden, batch, dimension, b);
            normalise(pooled[b]);
        }
        return pooled;
    }

    private static float[] first(FloatBuffer hidden, TokenBatch batch, int dimension, int b) {
        float[] out = new float[dimension];
        hidden.get(b * batch.length() * dimension, out);
        return out;
    }

    private static float[] mean(FloatBuffer hidden, TokenBatch batch, int dimension, int b) {
        double[] sum = new double[dimension];
        int count = 0;
        for (int t = 0; t < batch.length(); t++) {
            if (batch.isToken(b, t)) {
                int offset = (b * batch.length() + t) * dimension;
                for (int d = 0; d < dimension; d++) {
                    sum[d] += hidden.get(offset + d);
                }
                count++;
            }
        }
        float[] out = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            out[d] = (float) (sum[d] / Math.max(count, 1));
        }
        return out;
    }

    /** Scales {@code v} to unit length in place; a zero vector stays zero. */
    static void normalise(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        double norm = Math.sqrt(squares);
        if (norm == 0) {
            return;
        }
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (v[d] / norm);
        }
    }
}
