package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.ForwardForwardNetwork;

/**
 * Trains a Forward-Forward adapter (Hinton 2022) from positive and negative examples, layer by
 * layer: each layer descends its own goodness objective, softplus(theta - G) on the positive and
 * softplus(G - theta) on the negative, with its input taken from the pass before any update, so no
 * gradient crosses layers.
 *
 * <p>Every applied pair advances the version by one. Deterministic; not thread-safe. Holds the
 * parameters only: its memory does not grow with the number of examples.
 */
public final class ForwardForwardTrainer {
    private final AdapterParameters params;
    private final ForwardForwardNetwork network;
    private final Settings settings;
    private long version;
    private long pairsApplied;

    /**
     * Hyperparameters.
     *
     * @param learningRate the base rate of every layer's gradient step
     * @param schedule how the rate changes with the pairs applied
     * @param decaySteps the schedule's length or time scale in pairs
     */
    public record Settings(double learningRate, LearningRateSchedule schedule, long decaySteps) {
        /** Validates every field. */
        public Settings {
            if (!(learningRate > 0) || !Double.isFinite(learningRate) || decaySteps < 1) {
                throw new IllegalArgumentException(
                        "invalid Forward-Forward settings: learningRate="
                                + learningRate
                                + ", decaySteps="
                                + decaySteps);
            }
        }
    }

    /** Starts from a copy of {@code base} at {@code baseVersion}. */
    public ForwardForwardTrainer(AdapterParameters base, long baseVersion, Settings settings) {
        if (base.spec().kind() != AdapterKind.FORWARD_FORWARD) {
            throw new IllegalArgumentException(
                    "Forward-Forward training needs a FORWARD_FORWARD adapter, got "
                            + base.spec().kind());
        }
        this.params = base.copy();
        this.network = new ForwardForwardNetwork(params);
        this.version = baseVersion;
        this.settings = settings;
    }

    /** Updates every layer once on the activation with its true and a wrong label. */
    public double apply(float[] activation, int positiveLabel, int negativeLabel) {
        double loss = network.train(activation, positiveLabel, negativeLabel, nextRate());
        advance();
        return loss;
    }

    /** Updates layer {@code layer} alone; the other layers keep their exact bits. */
    public double applyLayer(int layer, float[] activation, int positiveLabel, int negativeLabel) {
        double loss =
                network.trainLayer(layer, activation, positiveLabel, negativeLabel, nextRate());
        advance();
        return loss;
    }

    /** The wrong label the adapter finds most plausible for the activation: a hard negative. */
    public int hardestNegative(float[] activation, int label) {
        return network.hardestNegative(activation, label);
    }

    private double nextRate() {
        return settings.schedule()
                .rate(settings.learningRate(), pairsApplied, settings.decaySteps());
    }

    private void advance() {
        pairsApplied++;
        version++;
    }

    /** The live parameters; callers must not change them. */
    public AdapterParameters parameters() {
        return params;
    }

    /** The network over the live parameters, for prediction. */
    public ForwardForwardNetwork network() {
        return network;
    }

    public long version() {
        return version;
    }

    /** Positive/negative pairs applied since the base. */
    public long pairsApplied() {
        return pairsApplied;
    }

    /** Restores the counters after rebuilding the parameters from a snapshot. */
    public void restore(AdapterParameters snapshot, long snapshotVersion, long pairs) {
        params.copyFrom(snapshot);
        version = snapshotVersion;
        pairsApplied = pairs;
    }
}
