package io.forwardloop.adapter;

import java.util.Random;

/** Random activations of the scale a sentence encoder produces (unit length). */
final class SyntheticActivations {
    private SyntheticActivations() {}

    static float[][] batch(int size, int width, long seed) {
        Random random = new Random(seed);
        float[][] out = new float[size][width];
        for (float[] row : out) {
            double norm = 0;
            for (int i = 0; i < width; i++) {
                row[i] = (float) random.nextGaussian();
                norm += row[i] * row[i];
            }
            for (int i = 0; i < width; i++) {
                row[i] /= (float) Math.sqrt(norm);
            }
        }
        return out;
    }
}
