package io.forwardloop.bench.trainer;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.trainer.LearningRateSchedule;
import io.forwardloop.trainer.ZerothOrderSignal;
import io.forwardloop.trainer.ZerothOrderTrainer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Retained heap of the zeroth-order trainer while it streams N signals: the heap in use after a
 * full collection, with the trainer reachable, minus the heap in use before it was created.
 */
final class HeapMeasurement {
    private HeapMeasurement() {}

    /**
     * One measurement.
     *
     * @param signals signals streamed
     * @param adapterBytes float32 size of the adapter's parameters
     * @param retainedBytes heap retained after a collection, the trainer still reachable
     */
    record Result(long signals, long adapterBytes, long retainedBytes) {
        double multipleOfAdapter() {
            return retainedBytes / (double) adapterBytes;
        }
    }

    /** Streams {@code signals} signals through a fresh trainer for a 384-wide rank-1 adapter. */
    static Result measure(long signals) {
        AdapterSpec spec =
                AdapterSpec.lowRankClassifier(384, 1, List.of("negative", "positive")).build();
        long before = retainedHeap();
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
        }
        long after = retainedHeap();
        long adapterBytes = 4L * spec.parameterCount();
        long retained = Math.max(0, after - before);
        if (trainer.version() != signals) {
            throw new IllegalStateException("trainer applied " + trainer.version() + " signals");
        }
        return new Result(signals, adapterBytes, retained);
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
