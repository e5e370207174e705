package io.forwardloop.trainer.internal;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.StepKind;
import io.forwardloop.trainer.ForwardForwardTrainer;
import io.forwardloop.trainer.TrainerConfig;
import io.forwardloop.trainer.TrainingMethod;
import io.forwardloop.trainer.ZerothOrderTrainer;
import java.util.function.Consumer;

/**
 * The trainer's state rebuilt from the step log: the latest snapshot plus the zeroth-order steps
 * after it, the counters the learning-rate schedule needs, and the ids of the signals applied (into
 * the dedupe window).
 */
public final class AdapterState implements Consumer<AdapterStep> {
    private final TrainerConfig config;
    private final RecentIds applied;
    private ZerothOrderTrainer zerothOrder;
    private ForwardForwardTrainer forwardForward;
    private long steps;
    private long lastSnapshotVersion = -1;

    /** A state that remembers the signal ids of the steps it reads in {@code applied}. */
    public AdapterState(TrainerConfig config, RecentIds applied) {
        this.config = config;
        this.applied = applied;
    }

    @Override
    public void accept(AdapterStep step) {
        steps++;
        step.getSignalIds().forEach(applied::add);
        if (step.getKind() == StepKind.ZEROTH_ORDER && step.getSnapshot() == null) {
            requireStarted(step);
            zerothOrder.replay(StepLog.applied(step));
            return;
        }
        if (step.getSnapshot() == null) {
            return;
        }
        AdapterParameters params = StepLog.parameters(step);
        if (config.method() == TrainingMethod.ZO) {
            restoreZerothOrder(params, step.getVersion());
        } else {
            restoreForwardForward(params, step);
        }
        if (step.getKind() == StepKind.SNAPSHOT) {
            lastSnapshotVersion = step.getVersion();
        }
    }

    private void requireStarted(AdapterStep step) {
        if (zerothOrder == null) {
            throw new IllegalStateException(
                    "step log of adapter "
                            + step.getAdapterName()
                            + " starts with a "
                            + step.getKind()
                            + " step at version "
                            + step.getVersion()
                            + " instead of a SNAPSHOT; it cannot be rebuilt");
        }
    }

    private void restoreZerothOrder(AdapterParameters params, long version) {
        if (zerothOrder == null) {
            zerothOrder = new ZerothOrderTrainer(params, version, config.zerothOrderSettings());
        } else {
            zerothOrder.restore(params, version);
        }
    }

    private void restoreForwardForward(AdapterParameters params, AdapterStep step) {
        long pairs = forwardForward == null ? 0 : forwardForward.pairsApplied();
        pairs += step.getSignalIds().size();
        if (forwardForward == null) {
            forwardForward =
                    new ForwardForwardTrainer(
                            params, step.getVersion(), config.forwardForwardSettings());
        }
        forwardForward.restore(params, step.getVersion(), pairs);
    }

    /** Starts from a fresh base when the log was empty. */
    public void startFrom(AdapterParameters base, long version) {
        if (config.method() == TrainingMethod.ZO) {
            restoreZerothOrder(base, version);
        } else {
            forwardForward =
                    new ForwardForwardTrainer(base, version, config.forwardForwardSettings());
        }
        lastSnapshotVersion = version;
    }

    /** Whether the log held a snapshot to start from. */
    public boolean started() {
        return zerothOrder != null || forwardForward != null;
    }

    /** Steps read from the log. */
    public long stepsRead() {
        return steps;
    }

    public long lastSnapshotVersion() {
        return lastSnapshotVersion;
    }

    public void snapshotWritten(long version) {
        lastSnapshotVersion = version;
    }

    public ZerothOrderTrainer zerothOrder() {
        return zerothOrder;
    }

    public ForwardForwardTrainer forwardForward() {
        return forwardForward;
    }

    /** The live parameters of whichever trainer runs. */
    public AdapterParameters parameters() {
        return zerothOrder != null ? zerothOrder.parameters() : forwardForward.parameters();
    }

    /** The current version. */
    public long version() {
        return zerothOrder != null ? zerothOrder.version() : forwardForward.version();
    }
}
