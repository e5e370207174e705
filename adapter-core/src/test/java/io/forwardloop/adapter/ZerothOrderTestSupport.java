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
}
