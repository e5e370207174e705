package io.forwardloop.bench.trainer;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.trainer.HoldoutWindow;
import io.forwardloop.trainer.LearningRateSchedule;
import io.forwardloop.trainer.ZerothOrderSignal;
import io.forwardloop.trainer.ZerothOrderTrainer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Retained heap of the streaming trainer's state while it streams N signals and as many holdout
 * examples: the heap in use after a full collection, with the state reachable, minus the heap in
 * use before it was created. Measured twice: the zeroth-order optimiser alone (adapter, momentum
 * window), and the optimiser with the service's holdout window at its default size, which the
 * examples fill and then cycle through.
 */
final class HeapMeasurement {
    /** The streaming trainer's default holdout window, {@code trainer.holdout.window.size}. */
    static final int HOLDOUT_WINDOW = 2000;

    private static final int DIM = 384;

    private HeapMeasurement() {}

    /**
     * One measurement.
     *
     * @param signals signals streamed, and holdout examples seen
     * @param adapterBytes float32 size of the adapter's parameters
     * @param retainedBytes heap retained by the optimiser after a collection
     * @param withHoldoutBytes heap retained by the optimiser and its holdout window
     * @param holdoutBoundBytes the most the full window holds ({@code
     *     HoldoutWindow#maxRetainedBytes})
     */
    record Result(
            long signals,
            long adapterBytes,
            long retainedBytes,
            long withHoldoutBytes,
            long holdoutBoundBytes) {
        double multipleOfAdapter() {
            return retainedBytes / (double) adapterBytes;
        }

        /** The state with its window, as a share of adapter plus the window's bound. */
        double shareOfBound() {
            return withHoldoutBytes / (double) (adapterBytes + holdoutBoundBytes);
        }
    }

    /** Streams {@code signals} signals through a fresh trainer for a 384-wide rank-1 adapter. */
    static Result measure(long signals) {
        long alone = retained(signals, false);
        long withHoldout = retained(signals, true);
        AdapterSpec spec = spec();
        HoldoutWindow bound = new HoldoutWindow(HOLDOUT_WINDOW, DIM, spec.labels());
        return new Result(
                signals, 4L * spec.parameterCount(), alone, withHoldout, bound.maxRetainedBytes());
    }

    private static AdapterSpec spec() {
        return AdapterSpec.lowRankClassifier(DIM, 1, List.of("negative", "positive")).build();
    }

    private static long retained(long signals, boolean holdout) {
        AdapterSpec spec = spec();
        long before = retainedHeap();
        HoldoutWindow window =
                holdout ? new HoldoutWindow(HOLDOUT_WINDOW, DIM, spec.labels()) : null;
        ZerothOrderTrainer trainer =
                new ZerothOrderTrainer(
                        AdapterParameters.initialize(spec, 1),
                        0,
                        new ZerothOrderTrainer.Settings(
                                1e-4, LearningRateSchedule.CONSTANT, 1, 0.0, 1, 16));
        SplittableRandom random = new SplittableRandom(signals);
        for (long n = 0; n < signals; n++) {
            double loss = 0.7 + 0.01 * random.nextDouble();
            trainer.apply(
                    new ZerothOrderSignal(
                            "signal-" + n,
                            trainer.version(),
                            random.nextLong(),
                            1e-3,
                            loss,
                            loss - 1e-4 * random.nextDouble()));
            if (window != null) {
                window.add(activation(random), spec.labels().get((int) (n & 1)));
            }
        }
        long after = retainedHeap();
        if (trainer.version() != signals) {
            throw new IllegalStateException("trainer applied " + trainer.version() + " signals");
        }
        if (window != null && window.size() != Math.min(signals, HOLDOUT_WINDOW)) {
            throw new IllegalStateException("holdout window holds " + window.size());
        }
        return Math.max(0, after - before);
    }

    private static float[] activation(SplittableRandom random) {
        float[] x = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    private static long retainedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
