package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.adapter.LowRankClassifier;
import io.forwardloop.adapter.PerturbationPair;
import io.forwardloop.adapter.ZerothOrder;
import io.forwardloop.adapter.ZerothOrderStep;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZerothOrderTrainerTest {
    private static final AdapterSpec SPEC =
            AdapterSpec.lowRankClassifier(16, 1, List.of("a", "b")).build();
    private static final LabeledBatch DATA = Synthetic.blobs(200, 16, 2, 0.8, 3);

    private static ZerothOrderTrainer.Settings settings(double momentum, long maxStaleness) {
        return new ZerothOrderTrainer.Settings(
                0.1, LearningRateSchedule.CONSTANT, 1000, momentum, 4, maxStaleness);
    }

    /** Signals measured the way the signal job measures them, each on the current version. */
    private static List<AppliedStep> train(ZerothOrderTrainer trainer, int signals, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<AppliedStep> log = new ArrayList<>();
        for (int n = 0; n < signals; n++) {
            long perturbation = random.nextLong();
            PerturbationPair pair =
                    ZerothOrder.perturbationPair(trainer.parameters(), DATA, perturbation, 1e-3);
            ZerothOrderSignal signal =
                    new ZerothOrderSignal(
                            "s" + n,
                            trainer.version(),
                            perturbation,
                            1e-3,
                            pair.lossPlus(),
                            pair.lossMinus());
            log.addAll(trainer.apply(signal).steps());
        }
        return log;
    }

    @Test
    void shouldProduceBitIdenticalParametersForTheSameSignals() {
        AdapterParameters base = AdapterParameters.initialize(SPEC, 1);
        ZerothOrderTrainer first = new ZerothOrderTrainer(base, 0, settings(0, 0));
        ZerothOrderTrainer second = new ZerothOrderTrainer(base, 0, settings(0, 0));

        train(first, 50, 9);
        train(second, 50, 9);

        assertThat(first.parameters().digest()).isEqualTo(second.parameters().digest());
        assertThat(first.version()).isEqualTo(50);
    }

    @Test
    void shouldRebuildTheSameBytesFromBaseAndStepLog() {
        AdapterParameters base = AdapterParameters.initialize(SPEC, 1);
        ZerothOrderTrainer trainer = new ZerothOrderTrainer(base, 0, settings(0, 0));
        List<AppliedStep> log = train(trainer, 40, 5);

        List<ZerothOrderStep> steps = log.stream().map(AppliedStep::step).toList();
        AdapterParameters replayed = ZerothOrder.replay(base, steps);

        assertThat(replayed.toBytes()).isEqualTo(trainer.parameters().toBytes());
    }

    @Test
    void shouldKeepMomentumReplayableFromPlainSteps() {
        AdapterParameters base = AdapterParameters.initialize(SPEC, 1);
        ZerothOrderTrainer trainer = new ZerothOrderTrainer(base, 0, settings(0.9, 1000));
        List<AppliedStep> log = train(trainer, 20, 5);

        AdapterParameters replayed =
                ZerothOrder.replay(base, log.stream().map(AppliedStep::step).toList());
        ZerothOrderTrainer rebuilt = new ZerothOrderTrainer(base, 0, settings(0.9, 1000));
        log.forEach(rebuilt::replay);

        assertThat(log).hasSize(1 + 2 + 3 + 4 * 17);
        assertThat(replayed.digest()).isEqualTo(trainer.parameters().digest());
        assertThat(rebuilt.signalsApplied()).isEqualTo(20);
        assertThat(rebuilt.version()).isEqualTo(trainer.version());
    }

    @Test
    void shouldContinueIdenticallyAfterRebuildingWithMomentum() {
        AdapterParameters base = AdapterParameters.initialize(SPEC, 1);
        ZerothOrderTrainer uninterrupted = new ZerothOrderTrainer(base, 0, settings(0.5, 1000));
        List<AppliedStep> firstHalf = train(uninterrupted, 10, 5);
        ZerothOrderTrainer rebuilt = new ZerothOrderTrainer(base, 0, settings(0.5, 1000));
        firstHalf.forEach(rebuilt::replay);

        train(uninterrupted, 10, 6);
        train(rebuilt, 10, 6);

        assertThat(rebuilt.parameters().digest()).isEqualTo(uninterrupted.parameters().digest());
    }

    @Test
    void shouldDropAndCountSignalsStalerThanTheBound() {
        ZerothOrderTrainer trainer =
                new ZerothOrderTrainer(AdapterParameters.initialize(SPEC, 1), 10, settings(0, 2));

        assertThat(trainer.apply(new ZerothOrderSignal("a", 8, 1, 1e-3, 1.0, 0.9)).applied())
                .isTrue();
        ZerothOrderTrainer.Outcome stale =
                trainer.apply(new ZerothOrderSignal("b", 8, 2, 1e-3, 1.0, 0.9));
        assertThat(trainer.apply(new ZerothOrderSignal("c", 12, 3, 1e-3, 1.0, 0.9)).applied())
                .isFalse();

        assertThat(stale.applied()).isFalse();
        assertThat(stale.staleness()).isEqualTo(3);
        assertThat(trainer.droppedStale()).isEqualTo(2);
        assertThat(trainer.version()).isEqualTo(11);
    }

    @Test
    void shouldLowerTheTrainingLoss() {
        AdapterParameters base = AdapterParameters.initialize(SPEC, 1);
        ZerothOrderTrainer trainer = new ZerothOrderTrainer(base, 0, settings(0, 0));
        double before = new LowRankClassifier(trainer.parameters()).meanCrossEntropy(DATA);

        train(trainer, 300, 5);

        LowRankClassifier after = new LowRankClassifier(trainer.parameters());
        assertThat(after.meanCrossEntropy(DATA)).isLessThan(before - 0.1);
        assertThat(after.accuracy(DATA)).isGreaterThan(0.9);
    }

    @Test
    void shouldRejectAStepThatDoesNotFollowTheCurrentVersion() {
        ZerothOrderTrainer trainer =
                new ZerothOrderTrainer(AdapterParameters.initialize(SPEC, 1), 3, settings(0, 0));
        AppliedStep gap = new AppliedStep(6, new ZerothOrderStep(1, 0.1, 0.1), 1e-3, List.of());

        assertThatThrownBy(() -> trainer.replay(gap))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not follow version 3");
    }

    @Test
    void shouldRejectAForwardForwardAdapter() {
        AdapterSpec ff = AdapterSpec.forwardForward(8, List.of("a", "b"), List.of(4)).build();

        assertThatThrownBy(
                        () ->
                                new ZerothOrderTrainer(
                                        AdapterParameters.initialize(ff, 1), 0, settings(0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a LOW_RANK_CLASSIFIER");
    }
}
