package io.forwardloop.adapter;

import java.util.Random;

/** A separable toy problem: one Gaussian cluster per label around a random unit centre. */
final class SyntheticClusters {
    private final float[][] centres;
    private final double noise;

    SyntheticClusters(int labels, int dim, double noise, long seed) {
        Random random = new Random(seed);
        this.centres = new float[labels][dim];
        this.noise = noise;
        for (float[] centre : centres) {
            double norm = 0;
            for (int i = 0; i < dim; i++) {
                centre[i] = (float) random.nextGaussian();
                norm += centre[i] * centre[i];
            }
            for (int i = 0; i < dim; i++) {
                centre[i] /= (float) Math.sqrt(norm);
            }
        }
    }

    /** {@code size} examples with labels cycling through all labels. */
    LabeledBatch sample(int size, long seed) {
        Random random = new Random(seed);
        float[][] activations = new float[size][];
        int[] labels = new int[size];
        for (int n = 0; n < size; n++) {
            labels[n] = random.nextInt(centres.length);
            activations[n] = centres[labels[n]].clone();
            for (int i = 0; i < activations[n].length; i++) {
                activations[n][i] += (float) (noise * random.nextGaussian());
            }
        }
        return new LabeledBatch(activations, labels);
    }
}
