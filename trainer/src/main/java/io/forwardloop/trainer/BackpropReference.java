package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.adapter.LowRankClassifier;
import io.forwardloop.trainer.internal.Batches;
import io.forwardloop.trainer.internal.LowRankGradient;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The low-rank classifier trained with exact gradients (backpropagation and Adam): the reference
 * the backpropagation-free trainers are measured against. The streaming trainer never runs it; the
 * adapter it makes is the same servable classifier, so it can be published as a first adapter.
 *
 * <p>To be a fair reference it is tuned: the L2 strength is chosen from {@link Settings#l2Grid()}
 * by accuracy on a validation split carved from the training data (stratified, by seed), then the
 * adapter is retrained on all the training data with that strength. Deterministic for a seed.
 */
public final class BackpropReference {
    private static final Logger LOG = LoggerFactory.getLogger(BackpropReference.class);

    private BackpropReference() {}

    /**
     * Hyperparameters of the reference.
     *
     * @param epochs passes over the training data
     * @param batchSize examples per gradient step
     * @param learningRate Adam's step size
     * @param l2Grid candidate L2 strengths (penalty l2/2 * ||theta||^2 on every tensor)
     * @param validationFraction share of the training data held out to choose l2
     */
    public record Settings(
            int epochs,
            int batchSize,
            double learningRate,
            List<Double> l2Grid,
            double validationFraction) {
        /** Defaults that reach linear-probe accuracy on sentence embeddings. */
        public static Settings defaults() {
            return new Settings(
                    40, 32, 3e-3, List.of(0.0, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1), 0.2);
        }
    }

    /**
     * The outcome of a run.
     *
     * @param parameters the trained adapter
     * @param l2 the chosen L2 strength
     * @param validationAccuracy the accuracy of the chosen strength on the validation split
     * @param steps gradient steps of the final run
     */
    public record Result(
            AdapterParameters parameters, double l2, double validationAccuracy, long steps) {}

    /** Chooses l2 on a validation split, then trains on all of {@code train}. */
    public static Result train(
            AdapterSpec spec,
            LabeledBatch train,
            long seed,
            Settings settings,
            ProgressListener listener) {
        Batches.Split split = Batches.stratifiedSplit(train, settings.validationFraction(), seed);
        double bestL2 = settings.l2Grid().get(0);
        double bestAccuracy = -1;
        for (double l2 : settings.l2Grid()) {
            AdapterParameters candidate =
                    fit(spec, split.train(), seed, l2, settings, ProgressListener.NONE);
            double accuracy = new LowRankClassifier(candidate).accuracy(split.test());
            LOG.debug("Backprop reference l2={} validation accuracy {}", l2, accuracy);
            if (accuracy > bestAccuracy) {
                bestAccuracy = accuracy;
                bestL2 = l2;
            }
        }
        LOG.info("Backprop reference chose l2={} (validation accuracy {})", bestL2, bestAccuracy);
        AdapterParameters params = fit(spec, train, seed, bestL2, settings, listener);
        return new Result(params, bestL2, bestAccuracy, totalSteps(train.size(), settings));
    }

    private static long totalSteps(int examples, Settings settings) {
        long perEpoch = (examples + settings.batchSize() - 1) / settings.batchSize();
        return perEpoch * settings.epochs();
    }

    private static AdapterParameters fit(
            AdapterSpec spec,
            LabeledBatch data,
            long seed,
            double l2,
            Settings settings,
            ProgressListener listener) {
        AdapterParameters params = AdapterParameters.initialize(spec, seed);
        LowRankGradient gradient = new LowRankGradient(spec);
        double[][] grad = gradient.newBuffers();
        Adam adam = new Adam(gradient.newBuffers(), gradient.newBuffers(), settings.learningRate());
        SplittableRandom random = new SplittableRandom(seed);
        long total = totalSteps(data.size(), settings);
        long step = 0;
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            int[] order = Batches.permutation(data.size(), random);
            for (int start = 0; start < order.length; start += settings.batchSize()) {
                int[] rows = Batches.slice(order, start, settings.batchSize());
                gradient.accumulate(params, data.activations(), data.labels(), rows, grad);
                adam.step(params, grad, l2);
                step++;
                if (step % 50 == 0 || step == total) {
                    listener.onProgress(step, total, params);
                }
            }
        }
        return params;
    }

    /** Adam (Kingma and Ba 2015) with an L2 term added to the gradient. */
    private static final class Adam {
        private static final double BETA1 = 0.9;
        private static final double BETA2 = 0.999;
        private static final double EPSILON = 1e-8;
        private final double[][] m;
        private final double[][] v;
        private final double learningRate;
        private long t;

        Adam(double[][] m, double[][] v, double learningRate) {
            this.m = m;
            this.v = v;
            this.learningRate = learningRate;
        }

        void step(AdapterParameters params, double[][] grad, double l2) {
            t++;
            double c1 = 1 - Math.pow(BETA1, t);
            double c2 = 1 - Math.pow(BETA2, t);
            for (int k = 0; k < grad.length; k++) {
                float[] theta = params.data(k);
                for (int i = 0; i < theta.length; i++) {
                    double g = grad[k][i] + l2 * theta[i];
                    m[k][i] = BETA1 * m[k][i] + (1 - BETA1) * g;
                    v[k][i] = BETA2 * v[k][i] + (1 - BETA2) * g * g;
                    double update = (m[k][i] / c1) / (Math.sqrt(v[k][i] / c2) + EPSILON);
                    theta[i] = (float) (theta[i] - learningRate * update);
                }
            }
        }
    }
}
