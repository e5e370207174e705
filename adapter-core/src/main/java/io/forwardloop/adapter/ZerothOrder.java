package io.forwardloop.adapter;

import java.util.List;

/**
 * Zeroth-order training by antithetic random perturbations: SPSA (Spall 1987) as used by MeZO
 * (Malladi et al. 2023).
 *
 * <p>With z the Gaussian perturbation of {@link Perturbation} for a seed, one step measures {@code
 * g = (L(theta + eps z) - L(theta - eps z)) / (2 eps)}, an estimate of the directional derivative
 * along z, and descends with {@code theta <- theta - eta * g * z}. Its expectation over z is a
 * gradient descent step, since E[z z^T] = I.
 *
 * <p>Arithmetic, identical on every JVM: a perturbed value is {@code (float) (theta + eps * z)} and
 * an updated value is {@code (float) (theta - c * z)} with {@code c = eta * g}, both in double. A
 * step is therefore reproducible from (seed, g, eta) alone, and any version can be rebuilt from its
 * base by {@link #replay}.
 */
public final class ZerothOrder {
    private ZerothOrder() {}

    /**
     * Measures the mean cross-entropy of a low-rank classifier on {@code batch} at theta + eps z
     * and theta - eps z.
     */
    public static PerturbationPair perturbationPair(
            AdapterParameters params, LabeledBatch batch, long seed, double epsilon) {
        LowRankClassifier classifier = new LowRankClassifier(params);
        return perturbationPair(params, seed, epsilon, p -> classifier.meanCrossEntropy(batch));
    }

    /**
     * Measures {@code loss} at theta + eps z and theta - eps z, perturbing {@code params} in place.
     *
     * <p>On return, also when the loss throws, every parameter holds its original bits again. The
     * original values are restored from a saved copy, not by adding eps z back: float addition is
     * not exactly reversible, and a replica that drifted by one ulp per pair would no longer agree
     * with the step log.
     */
    public static PerturbationPair perturbationPair(
            AdapterParameters params, long seed, double epsilon, AdapterLoss loss) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        }
        AdapterParameters saved = params.copy();
        float[][] z = perturbation(params, seed);
        try {
            addScaled(params, saved, z, epsilon);
            double lossPlus = loss.evaluate(params);
            addScaled(params, saved, z, -epsilon);
            double lossMinus = loss.evaluate(params);
            return new PerturbationPair(seed, epsilon, lossPlus, lossMinus);
        } finally {
            params.copyFrom(saved);
        }
    }

    /** g = (lossPlus - lossMinus) / (2 eps). */
    public static double projectedGradient(double lossPlus, double lossMinus, double epsilon) {
        return (lossPlus - lossMinus) / (2.0 * epsilon);
    }

    /** Applies theta <- theta - eta * g * z in place, z from {@code seed}. */
    public static void applyStep(
            AdapterParameters params, long seed, double projectedGradient, double learningRate) {
        ZerothOrderStep step = new ZerothOrderStep(seed, projectedGradient, learningRate);
        addScaledPerturbation(params, params, step.seed(), -learningRate * projectedGradient);
    }

    /** Applies one logged step in place. */
    public static void applyStep(AdapterParameters params, ZerothOrderStep step) {
        applyStep(params, step.seed(), step.projectedGradient(), step.learningRate());
    }

    /** A copy of {@code base} with {@code steps} applied in order; {@code base} is unchanged. */
    public static AdapterParameters replay(AdapterParameters base, List<ZerothOrderStep> steps) {
        AdapterParameters params = base.copy();
        for (ZerothOrderStep step : steps) {
            applyStep(params, step);
        }
        return params;
    }

    /** target[i] = (float) (origin[i] + scale * z[i]) for every tensor, z from {@code seed}. */
    private static void addScaledPerturbation(
            AdapterParameters target, AdapterParameters origin, long seed, double scale) {
        addScaled(target, origin, perturbation(target, seed), scale);
    }

    /** z of every tensor of {@code params} under {@code seed}: generated once per pair. */
    private static float[][] perturbation(AdapterParameters params, long seed) {
        float[][] z = new float[params.tensorCount()][];
        for (int t = 0; t < z.length; t++) {
            z[t] = new float[params.data(t).length];
            Perturbation.fill(seed, t, z[t]);
        }
        return z;
    }

    /** target[i] = (float) (origin[i] + scale * z[i]) for every tensor. */
    private static void addScaled(
            AdapterParameters target, AdapterParameters origin, float[][] z, double scale) {
        for (int t = 0; t < target.tensorCount(); t++) {
            float[] values = target.data(t);
            float[] from = origin.data(t);
            float[] zt = z[t];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (from[i] + scale * zt[i]);
            }
        }
    }
}
