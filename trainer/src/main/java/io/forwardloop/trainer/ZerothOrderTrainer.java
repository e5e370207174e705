package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.ZerothOrder;
import io.forwardloop.adapter.ZerothOrderStep;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Applies zeroth-order signals to a low-rank classifier in log order: MeZO-SGD (Malladi et al.
 * 2023; SPSA, Spall 1987) with a learning-rate schedule, optional momentum and a staleness bound.
 *
 * <p>A signal measured on version v is applied at version w only if {@code w - v <= maxStaleness};
 * otherwise it is dropped and counted. An applied signal with projected gradient g and seed s
 * becomes the step theta <- theta - eta_t g z(s), eta_t from the schedule at the number of signals
 * applied so far.
 *
 * <p>Momentum beta &gt; 0 is truncated heavy-ball momentum that stays replayable from the step log:
 * the update for signal t is sum_{j &lt; K} beta^j eta_{t-j} g_{t-j} z(s_{t-j}) over the last K
 * signals (K = the momentum window), written to the log as K plain steps (seed, g, beta^j eta). A
 * replica applies them like any other step; the trainer itself rebuilds its window from the last K
 * signal-bearing steps. Each signal then advances the version by up to K, which the staleness bound
 * counts.
 *
 * <p>Deterministic: the same base and the same signals give bit-identical parameters. Not
 * thread-safe. Holds the parameters, one copy while a step runs, and the window: its memory does
 * not grow with the number of signals.
 */
public final class ZerothOrderTrainer {
    private final AdapterParameters params;
    private final Settings settings;
    private final ArrayDeque<ZerothOrderStep> window = new ArrayDeque<>();
    private long version;
    private long signalsApplied;
    private long droppedStale;

    /**
     * Hyperparameters.
     *
     * @param learningRate the base rate eta
     * @param schedule how eta changes with the signals applied
     * @param decaySteps the schedule's length or time scale in signals
     * @param momentum beta in [0, 1); 0 is plain MeZO-SGD
     * @param momentumWindow K, the signals momentum reaches back over (1 when momentum is 0)
     * @param maxStaleness the largest {@code version - base_version} a signal may have
     */
    public record Settings(
            double learningRate,
            LearningRateSchedule schedule,
            long decaySteps,
            double momentum,
            int momentumWindow,
            long maxStaleness) {
        /** Validates every field. */
        public Settings {
            require(
                    learningRate > 0 && Double.isFinite(learningRate),
                    "learningRate",
                    learningRate);
            require(decaySteps >= 1, "decaySteps", decaySteps);
            require(momentum >= 0 && momentum < 1, "momentum", momentum);
            require(momentumWindow >= 1, "momentumWindow", momentumWindow);
            require(maxStaleness >= 0, "maxStaleness", maxStaleness);
        }

        private static void require(boolean ok, String name, Object value) {
            if (!ok) {
                throw new IllegalArgumentException(
                        "invalid zeroth-order setting " + name + "=" + value);
            }
        }

        /** The number of steps one signal writes. */
        int stepsPerSignal() {
            return momentum == 0 ? 1 : momentumWindow;
        }
    }

    /**
     * What became of one signal.
     *
     * @param applied whether it was applied
     * @param staleness {@code version - base_version} when it arrived
     * @param steps the steps written, in order; empty when dropped
     */
    public record Outcome(boolean applied, long staleness, List<AppliedStep> steps) {}

    /** Starts from a copy of {@code base} at {@code baseVersion}. */
    public ZerothOrderTrainer(AdapterParameters base, long baseVersion, Settings settings) {
        if (base.spec().kind() != AdapterKind.LOW_RANK_CLASSIFIER) {
            throw new IllegalArgumentException(
                    "zeroth-order training needs a LOW_RANK_CLASSIFIER adapter, got "
                            + base.spec().kind());
        }
        this.params = base.copy();
        this.version = baseVersion;
        this.settings = settings;
    }

    /** Applies a signal, or drops it when it is too stale. */
    public Outcome apply(ZerothOrderSignal signal) {
        long staleness = version - signal.baseVersion();
        if (staleness < 0 || staleness > settings.maxStaleness()) {
            droppedStale++;
            return new Outcome(false, staleness, List.of());
        }
        double rate =
                settings.schedule()
                        .rate(settings.learningRate(), signalsApplied, settings.decaySteps());
        ZerothOrderStep newest =
                new ZerothOrderStep(signal.seed(), signal.projectedGradient(), rate);
        remember(newest);
        List<AppliedStep> steps = new ArrayList<>();
        double decay = 1.0;
        Iterator<ZerothOrderStep> back = window.descendingIterator();
        while (back.hasNext()) {
            ZerothOrderStep earlier = back.next();
            ZerothOrderStep step =
                    new ZerothOrderStep(
                            earlier.seed(),
                            earlier.projectedGradient(),
                            decay * earlier.learningRate());
            List<String> ids = steps.isEmpty() ? List.of(signal.id()) : List.of();
            steps.add(applyLogged(step, signal.epsilon(), ids));
            decay *= settings.momentum();
        }
        signalsApplied++;
        return new Outcome(true, staleness, steps);
    }

    /**
     * Re-applies a step read back from the step log, when rebuilding after a restart.
     *
     * @throws IllegalArgumentException if the step does not follow the current version
     */
    public void replay(AppliedStep logged) {
        if (logged.version() != version + 1) {
            throw new IllegalArgumentException(
                    "step to version "
                            + logged.version()
                            + " does not follow version "
                            + version
                            + "; rebuild from a snapshot at or before version "
                            + (logged.version() - 1));
        }
        ZerothOrder.applyStep(params, logged.step());
        version = logged.version();
        if (!logged.signalIds().isEmpty()) {
            remember(logged.step());
            signalsApplied++;
        }
    }

    /**
     * Replaces the parameters with a snapshot read back from the step log; the counters and the
     * momentum window are kept.
     */
    public void restore(AdapterParameters snapshot, long snapshotVersion) {
        params.copyFrom(snapshot);
        version = snapshotVersion;
    }

    private AppliedStep applyLogged(ZerothOrderStep step, double epsilon, List<String> ids) {
        ZerothOrder.applyStep(params, step);
        version++;
        return new AppliedStep(version, step, epsilon, ids);
    }

    private void remember(ZerothOrderStep step) {
        window.addLast(step);
        while (window.size() > settings.stepsPerSignal()) {
            window.removeFirst();
        }
    }

    /** The live parameters; callers must not change them. */
    public AdapterParameters parameters() {
        return params;
    }

    /** The current adapter version. */
    public long version() {
        return version;
    }

    /** Signals applied since the base (or rebuilt from the log). */
    public long signalsApplied() {
        return signalsApplied;
    }

    /** Signals dropped because they were staler than the bound (or ahead of the trainer). */
    public long droppedStale() {
        return droppedStale;
    }

    public Settings settings() {
        return settings;
    }
}
