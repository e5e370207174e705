package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.LabeledBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineTrainingTest {
    private static final LabeledBatch TRAIN = Synthetic.blobs(400, 24, 2, 1.2, 1);
    private static final LabeledBatch TEST = Synthetic.blobs(200, 24, 2, 1.2, 2);
    private static final List<String> LABELS = List.of("negative", "positive");

    private static OfflineTraining.Options small() {
        return small(0.0);
    }

    private static OfflineTraining.Options small(double validationFraction) {
        OfflineTraining.Options d = OfflineTraining.Options.defaults();
        return new OfflineTraining.Options(
                d.rank(),
                3_000,
                d.zoBatchSize(),
                d.zoEpsilon(),
                d.zoLearningRateTimesParameters(),
                List.of(32),
                3,
                d.ffLearningRate(),
                validationFraction,
                true,
                0.01,
                new BackpropReference.Settings(10, 32, 3e-3, List.of(0.0, 1e-2), 0.2));
    }

    @Test
    void shouldBringZerothOrderAndForwardForwardCloseToTheReference() {
        OfflineTraining.Result bp = run(TrainingMethod.BP);
        OfflineTraining.Result zo = run(TrainingMethod.ZO);
        OfflineTraining.Result ff = run(TrainingMethod.FF);

        assertThat(bp.accuracy()).isGreaterThan(0.85);
        assertThat(zo.accuracy()).isGreaterThan(bp.accuracy() - 0.05);
        assertThat(ff.accuracy()).isGreaterThan(bp.accuracy() - 0.05);
        assertThat(zo.steps()).isEqualTo(3_000);
        assertThat(ff.steps()).isEqualTo(3 * 400);
        assertThat(ff.parameters().spec().kind()).isEqualTo(AdapterKind.FORWARD_FORWARD);
        assertThat(zo.hyperparameters())
                .containsKeys("learning_rate", "epsilon", "signals", "l2", "tail_average");
        assertThat(bp.hyperparameters()).containsKeys("l2", "validation_accuracy");
    }

    @Test
    void shouldReportProgressUpToTheTotalAndBeDeterministic() {
        List<Long> seen = new ArrayList<>();
        OfflineTraining.Result first =
                OfflineTraining.run(
                        TrainingMethod.ZO,
                        TRAIN,
                        TEST,
                        LABELS,
                        3,
                        small(),
                        (signals, total, params) -> seen.add(signals));
        OfflineTraining.Result second =
                OfflineTraining.run(
                        TrainingMethod.ZO, TRAIN, TEST, LABELS, 3, small(), ProgressListener.NONE);

        assertThat(seen).hasSize(100).endsWith(3_000L);
        assertThat(first.parameters().digest()).isEqualTo(second.parameters().digest());
    }

    @Test
    void shouldKeepTheVersionOfLowestValidationLossWhenEarlyStopping() {
        OfflineTraining.Result result =
                OfflineTraining.run(
                        TrainingMethod.ZO,
                        TRAIN,
                        TEST,
                        LABELS,
                        3,
                        small(0.25),
                        ProgressListener.NONE);

        assertThat(result.hyperparameters()).containsKeys("chosen_version", "validation_accuracy");
        assertThat(result.steps())
                .isEqualTo(result.hyperparameters().get("chosen_version"))
                .isBetween(30L, 3_000L);
        assertThat(result.accuracy()).isGreaterThan(0.8);
    }

    private static OfflineTraining.Result run(TrainingMethod method) {
        return OfflineTraining.run(method, TRAIN, TEST, LABELS, 3, small(), ProgressListener.NONE);
    }
}
