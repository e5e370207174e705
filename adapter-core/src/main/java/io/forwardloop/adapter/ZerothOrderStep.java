package io.forwardloop.adapter;

/**
 * One zeroth-order update, fully described by its perturbation seed and projected gradient.
 *
 * <p>Applying it sets every parameter to {@code theta - learningRate * projectedGradient * z}, with
 * z from {@link Perturbation} under {@code seed}; see {@link ZerothOrder#applyStep}.
 *
 * @param seed the perturbation seed the projected gradient was measured with
 * @param projectedGradient (L(theta + eps z) - L(theta - eps z)) / (2 eps)
 * @param learningRate the step size eta
 */
public record ZerothOrderStep(long seed, double projectedGradient, double learningRate) {
    /** Checks that the gradient and learning rate are finite. */
    public ZerothOrderStep {
        if (!Double.isFinite(projectedGradient) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException(
                    "step with seed "
                            + seed
                            + " has non-finite projected gradient "
                            + projectedGradient
                            + " or learning rate "
                            + learningRate);
        }
    }
}
