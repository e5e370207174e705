package io.forwardloop.trainer;

import io.forwardloop.adapter.ZerothOrder;

/**
 * A zeroth-order signal as the trainer consumes it: a perturbation pair measured on adapter version
 * {@code baseVersion}.
 *
 * @param id the signal's id, recorded in the step that applies it
 * @param baseVersion the adapter version the pair was measured on
 * @param seed the perturbation seed
 * @param epsilon the perturbation scale
 * @param lossPlus L(theta + eps z)
 * @param lossMinus L(theta - eps z)
 */
public record ZerothOrderSignal(
        String id, long baseVersion, long seed, double epsilon, double lossPlus, double lossMinus) {

    /** The projected gradient g = (lossPlus - lossMinus) / (2 eps) (MeZO, SPSA). */
    public double projectedGradient() {
        return ZerothOrder.projectedGradient(lossPlus, lossMinus, epsilon);
    }
}
