package io.forwardloop.adapter;

/**
 * The losses at theta + eps z and theta - eps z for one perturbation seed: a zeroth-order signal.
 *
 * @param seed the perturbation seed
 * @param epsilon the perturbation scale eps
 * @param lossPlus L(theta + eps z)
 * @param lossMinus L(theta - eps z)
 */
public record PerturbationPair(long seed, double epsilon, double lossPlus, double lossMinus) {
    /** The SPSA / MeZO projected gradient g = (lossPlus - lossMinus) / (2 eps). */
    public double projectedGradient() {
        return ZerothOrder.projectedGradient(lossPlus, lossMinus, epsilon);
    }
}
