package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.ForwardForwardNetwork;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.adapter.LowRankClassifier;
import io.forwardloop.adapter.PerturbationPair;
import io.forwardloop.adapter.ZerothOrder;
import io.forwardloop.trainer.internal.Batches;
import io.forwardloop.trainer.internal.Stopwatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains an adapter on labeled activations held in memory, through the same trainer code the
 * streaming service runs.
 *
 * <p>Zeroth-order signals are made in process the way the signal job makes them: a mini-batch of
 * recycled activations, a seed, and {@link ZerothOrder#perturbationPair} on the current version;
 * {@link ZerothOrderTrainer} applies them (MeZO-SGD, cosine schedule, eta = c / parameter count).
 * Two choices differ from the signal job and are recorded in the hyperparameters: the measured loss
 * adds an L2 term (l2/2 * ||theta||^2, the same strength the reference usually picks), and the
 * result is the mean of the second-half iterates (Polyak-Ruppert averaging), which cancels most of
 * the random walk zeroth-order steps take orthogonal to the gradient. Forward-Forward pairs each
 * training example's true label with the adapter's hardest negative and {@link
 * ForwardForwardTrainer} applies them. The defaults ({@link Options#defaults()}) scale with the
 * adapter size and need no tuning.
 */
public final class OfflineTraining {
    private OfflineTraining() {}

    /**
     * Hyperparameters of an offline run.
     *
     * @param rank rank of the low-rank classifier (zeroth-order and reference)
     * @param zoSignals zeroth-order signals to apply
     * @param zoBatchSize examples per perturbation pair
     * @param zoEpsilon perturbation scale
     * @param zoLearningRateTimesParameters eta times the adapter's parameter count
     * @param ffHiddenSizes Forward-Forward layer widths
     * @param ffEpochs passes of Forward-Forward over the training data
     * @param ffLearningRate Forward-Forward base rate
     * @param validationFraction share of the training data zeroth-order training holds out to keep
     *     the version of lowest validation loss (early stopping); 0 trains on all of it and keeps
     *     the last version
     * @param zoTailAverage whether zeroth-order training returns the mean of its second-half
     *     iterates (Polyak-Ruppert averaging) instead of its last one; ignored with early stopping
     * @param zoL2 strength of the L2 term l2/2 * ||theta||^2 added to the loss zeroth-order
     *     training measures; 0 measures plain cross-entropy
     * @param backprop the reference's settings
     */
    public record Options(
            int rank,
            long zoSignals,
            int zoBatchSize,
            double zoEpsilon,
            double zoLearningRateTimesParameters,
            List<Integer> ffHiddenSizes,
            int ffEpochs,
            double ffLearningRate,
            double validationFraction,
            boolean zoTailAverage,
            double zoL2,
            BackpropReference.Settings backprop) {
        /** Defaults that work on sentence-embedding data sets of a few thousand examples. */
        public static Options defaults() {
            return new Options(
                    1,
                    40_000,
                    32,
                    1e-3,
                    8.0,
                    List.of(256),
                    5,
                    0.02,
                    0.0,
                    true,
                    0.01,
                    BackpropReference.Settings.defaults());
        }
    }

    /**
     * The outcome of a run.
     *
     * @param method how it was trained
     * @param parameters the trained adapter
     * @param accuracy accuracy on the test data
     * @param steps optimiser steps (zeroth-order steps, Forward-Forward pairs, gradient steps)
     * @param seconds training time, evaluation for listeners excluded
     * @param hyperparameters the settings used, for reports and lineage
     */
    public record Result(
            TrainingMethod method,
            AdapterParameters parameters,
            double accuracy,
            long steps,
            double seconds,
            Map<String, Object> hyperparameters) {}

    /** Trains with {@code method} on {@code train} and measures accuracy on {@code test}. */
    public static Result run(
            TrainingMethod method,
            LabeledBatch train,
            LabeledBatch test,
            List<String> labels,
            long seed,
            Options options,
            ProgressListener listener) {
        int d = train.activations()[0].length;
        switch (method) {
            case ZO:
                return zerothOrder(
                        lowRank(d, labels, options), train, test, seed, options, listener);
            case FF:
                AdapterSpec ff =
                        AdapterSpec.forwardForward(d, labels, options.ffHiddenSizes()).build();
                return forwardForward(ff, train, test, seed, options, listener);
            default:
                return backprop(lowRank(d, labels, options), train, test, seed, options, listener);
        }
    }

    /** The accuracy of any adapter kind on {@code data}. */
    public static double accuracy(AdapterParameters params, LabeledBatch data) {
        switch (params.spec().kind()) {
            case LOW_RANK_CLASSIFIER:
                return new LowRankClassifier(params).accuracy(data);
            default:
                return new ForwardForwardNetwork(params).accuracy(data);
        }
    }

    private static AdapterSpec lowRank(int d, List<String> labels, Options options) {
        return AdapterSpec.lowRankClassifier(d, options.rank(), labels).build();
    }

    private static Result zerothOrder(
            AdapterSpec spec,
            LabeledBatch train,
            LabeledBatch test,
            long seed,
            Options options,
            ProgressListener listener) {
        double rate = options.zoLearningRateTimesParameters() / spec.parameterCount();
        long total = options.zoSignals();
        AdapterParameters base = AdapterParameters.initialize(spec, seed);
        ZerothOrderTrainer trainer =
                new ZerothOrderTrainer(
                        base,
                        0,
                        new ZerothOrderTrainer.Settings(
                                rate, LearningRateSchedule.COSINE, total, 0, 1, 0));
        boolean earlyStopping = options.validationFraction() > 0;
        Batches.Split split =
                earlyStopping
                        ? Batches.stratifiedSplit(train, options.validationFraction(), seed)
                        : new Batches.Split(train, train);
        EarlyStopping best = new EarlyStopping(split.test(), earlyStopping);
        TailAverage average = new TailAverage(spec);
        SplittableRandom random = new SplittableRandom(seed);
        Stopwatch clock = Stopwatch.start();
        long every = Math.max(1, total / 100);
        for (long n = 1; n <= total; n++) {
            LabeledBatch batch = sample(split.train(), options.zoBatchSize(), random);
            long perturbationSeed = random.nextLong();
            PerturbationPair pair =
                    ZerothOrder.perturbationPair(
                            trainer.parameters(),
                            perturbationSeed,
                            options.zoEpsilon(),
                            regularisedLoss(batch, options.zoL2()));
            trainer.apply(signal(n, trainer.version(), pair));
            if (n % every == 0 || n == total) {
                long done = n;
                if (options.zoTailAverage() && 2 * n > total) {
                    average.add(trainer.parameters());
                }
                best.offer(trainer.parameters(), trainer.version());
                clock.paused(() -> listener.onProgress(done, total, trainer.parameters()));
            }
        }
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("rank", options.rank());
        hyper.put("learning_rate", rate);
        hyper.put("schedule", LearningRateSchedule.COSINE.configName());
        hyper.put("batch_size", options.zoBatchSize());
        hyper.put("epsilon", options.zoEpsilon());
        hyper.put("signals", total);
        hyper.put("tail_average", options.zoTailAverage());
        hyper.put("l2", options.zoL2());
        if (earlyStopping) {
            hyper.put("validation_fraction", options.validationFraction());
            hyper.put("validation_accuracy", best.accuracy());
            hyper.put("chosen_version", best.version());
        }
        AdapterParameters chosen =
                options.zoTailAverage() && !earlyStopping ? average.mean() : best.parameters();
        return new Result(
                TrainingMethod.ZO,
                chosen.copy(),
                accuracy(chosen, test),
                best.version(),
                clock.seconds(),
                hyper);
    }

    /**
     * The mean of the iterates of the second half of a run (Polyak-Ruppert averaging): it cancels
     * most of the random walk zeroth-order steps leave orthogonal to the gradient.
     */
    private static final class TailAverage {
        private final AdapterSpec spec;
        private final double[][] sum;
        private int count;

        TailAverage(AdapterSpec spec) {
            this.spec = spec;
            this.sum = new double[spec.tensors().size()][];
            for (int t = 0; t < sum.length; t++) {
                sum[t] = new double[spec.tensors().get(t).size()];
            }
        }

        void add(AdapterParameters params) {
            for (int t = 0; t < sum.length; t++) {
                float[] values = params.data(t);
                for (int i = 0; i < values.length; i++) {
                    sum[t][i] += values[i];
                }
            }
            count++;
        }

        AdapterParameters mean() {
            List<float[]> tensors = new java.util.ArrayList<>();
            for (double[] total : sum) {
                float[] values = new float[total.length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (total[i] / count);
                }
                tensors.add(values);
            }
            return AdapterParameters.of(spec, tensors);
        }
    }

    /**
     * Keeps the version with the lowest validation loss (smoother than accuracy on a small split),
     * or simply the latest when disabled.
     */
    private static final class EarlyStopping {
        private final LabeledBatch validation;
        private final boolean enabled;
        private AdapterParameters best;
        private Evaluation bestEvaluation;
        private long version;

        EarlyStopping(LabeledBatch validation, boolean enabled) {
            this.validation = validation;
            this.enabled = enabled;
        }

        void offer(AdapterParameters candidate, long candidateVersion) {
            if (!enabled) {
                best = candidate;
                version = candidateVersion;
                return;
            }
            Evaluation evaluation = Evaluation.of(candidate, validation);
            if (best == null || evaluation.loss() < bestEvaluation.loss()) {
                best = candidate.copy();
                bestEvaluation = evaluation;
                version = candidateVersion;
            }
        }

        AdapterParameters parameters() {
            return best;
        }

        Double accuracy() {
            return bestEvaluation == null ? null : bestEvaluation.accuracy();
        }

        long version() {
            return version;
        }
    }

    /** Mean cross-entropy on the batch plus l2/2 times the squared norm of every tensor. */
    private static io.forwardloop.adapter.AdapterLoss regularisedLoss(
            LabeledBatch batch, double l2) {
        return params -> {
            double loss = new LowRankClassifier(params).meanCrossEntropy(batch);
            if (l2 == 0) {
                return loss;
            }
            double squares = 0;
            for (int t = 0; t < params.tensorCount(); t++) {
                for (float value : params.data(t)) {
                    squares += (double) value * value;
                }
            }
            return loss + 0.5 * l2 * squares;
        };
    }

    private static ZerothOrderSignal signal(long n, long version, PerturbationPair pair) {
        return new ZerothOrderSignal(
                "offline-" + n,
                version,
                pair.seed(),
                pair.epsilon(),
                pair.lossPlus(),
                pair.lossMinus());
    }

    private static LabeledBatch sample(LabeledBatch data, int size, SplittableRandom random) {
        int[] rows = new int[Math.min(size, data.size())];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.nextInt(data.size());
        }
        return Batches.select(data, rows);
    }

    private static Result forwardForward(
            AdapterSpec spec,
            LabeledBatch train,
            LabeledBatch test,
            long seed,
            Options options,
            ProgressListener listener) {
        long total = (long) options.ffEpochs() * train.size();
        ForwardForwardTrainer trainer =
                new ForwardForwardTrainer(
                        AdapterParameters.initialize(spec, seed),
                        0,
                        new ForwardForwardTrainer.Settings(
                                options.ffLearningRate(), LearningRateSchedule.COSINE, total));
        SplittableRandom random = new SplittableRandom(seed);
        Stopwatch clock = Stopwatch.start();
        long every = Math.max(1, total / 100);
        long n = 0;
        for (int epoch = 0; epoch < options.ffEpochs(); epoch++) {
            for (int row : Batches.permutation(train.size(), random)) {
                float[] x = train.activations()[row];
                int label = train.labels()[row];
                trainer.apply(x, label, trainer.hardestNegative(x, label));
                long done = ++n;
                if (done % every == 0 || done == total) {
                    clock.paused(() -> listener.onProgress(done, total, trainer.parameters()));
                }
            }
        }
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("hidden_sizes", options.ffHiddenSizes());
        hyper.put("learning_rate", options.ffLearningRate());
        hyper.put("schedule", LearningRateSchedule.COSINE.configName());
        hyper.put("epochs", options.ffEpochs());
        hyper.put("negatives", "hardest");
        return new Result(
                TrainingMethod.FF,
                trainer.parameters().copy(),
                accuracy(trainer.parameters(), test),
                trainer.pairsApplied(),
                clock.seconds(),
                hyper);
    }

    private static Result backprop(
            AdapterSpec spec,
            LabeledBatch train,
            LabeledBatch test,
            long seed,
            Options options,
            ProgressListener listener) {
        Stopwatch clock = Stopwatch.start();
        BackpropReference.Result result =
                BackpropReference.train(
                        spec,
                        train,
                        seed,
                        options.backprop(),
                        (n, total, params) ->
                                clock.paused(() -> listener.onProgress(n, total, params)));
        BackpropReference.Settings settings = options.backprop();
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("rank", options.rank());
        hyper.put("optimizer", "adam");
        hyper.put("learning_rate", settings.learningRate());
        hyper.put("epochs", settings.epochs());
        hyper.put("batch_size", settings.batchSize());
        hyper.put("l2", result.l2());
        hyper.put("l2_grid", settings.l2Grid());
        hyper.put("validation_accuracy", result.validationAccuracy());
        return new Result(
                TrainingMethod.BP,
                result.parameters(),
                accuracy(result.parameters(), test),
                result.steps(),
                clock.seconds(),
                hyper);
    }
}
