package io.forwardloop.adapter;

/** Parameters with every tensor filled from a seed, for tests that need non-zero values. */
final class ZerothOrderTestSupport {
    private ZerothOrderTestSupport() {}

    static AdapterParameters random(AdapterSpec spec, long seed) {
        AdapterParameters params = AdapterParameters.zeros(spec);
        for (int t = 0; t < params.tensorCount(); t++) {
            Perturbation.fill(seed + 1000, t, params.data(t));
        }
        return params;
    }

    /** Random values scaled by 1/sqrt(last dimension): logits of order 1, as after training. */
    static AdapterParameters fanInScaled(AdapterSpec spec, long seed) {
        AdapterParameters params = random(spec, seed);
        for (int t = 0; t < params.tensorCount(); t++) {
            TensorSpec tensor = params.tensorSpec(t);
            float gain = (float) (1 / Math.sqrt(tensor.dim(tensor.rank() - 1)));
            for (int i = 0; i < params.data(t).length; i++) {
                params.data(t)[i] *= gain;
            }
        }
        return params;
    }
}
