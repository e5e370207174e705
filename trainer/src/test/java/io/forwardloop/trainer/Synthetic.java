package io.forwardloop.trainer;

import io.forwardloop.adapter.LabeledBatch;
import java.util.SplittableRandom;

/** Separable synthetic activations: unit vectors scattered around one random centre per label. */
final class Synthetic {
    private Synthetic() {}

    static LabeledBatch blobs(int n, int d, int labels, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SplittableRandom centres = new SplittableRandom(7);
        float[][] centre = new float[labels][d];
        for (float[] c : centre) {
            for (int i = 0; i < d; i++) {
                c[i] = (float) gaussian(centres);
            }
        }
        float[][] x = new float[n][];
        int[] y = new int[n];
        for (int k = 0; k < n; k++) {
            y[k] = k % labels;
            float[] v = new float[d];
            for (int i = 0; i < d; i++) {
                v[i] = (float) (centre[y[k]][i] + noise * gaussian(random));
            }
            x[k] = normalise(v);
        }
        return new LabeledBatch(x, y);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static float[] normalise(float[] v) {
        double norm = 0;
        for (float value : v) {
            norm += value * value;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
