package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.LabeledBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardForwardTrainerTest {
    private static final AdapterSpec SPEC =
            AdapterSpec.forwardForward(16, List.of("a", "b", "c"), List.of(32, 16)).build();
    private static final ForwardForwardTrainer.Settings SETTINGS =
            new ForwardForwardTrainer.Settings(0.05, LearningRateSchedule.CONSTANT, 1000);

    @Test
    void shouldUpdateOnlyTheLayerItTrains() {
        AdapterParameters base = AdapterParameters.initialize(SPEC, 1);
        ForwardForwardTrainer trainer = new ForwardForwardTrainer(base, 0, SETTINGS);
        LabeledBatch data = Synthetic.blobs(10, 16, 3, 0.5, 2);

        trainer.applyLayer(1, data.activations()[0], 0, 1);

        AdapterParameters after = trainer.parameters();
        assertThat(after.data(AdapterSpec.ffWeight(0)))
                .isEqualTo(base.data(AdapterSpec.ffWeight(0)));
        assertThat(after.data(AdapterSpec.ffBias(0))).isEqualTo(base.data(AdapterSpec.ffBias(0)));
        assertThat(after.data(AdapterSpec.ffWeight(1)))
                .isNotEqualTo(base.data(AdapterSpec.ffWeight(1)));
        assertThat(trainer.version()).isEqualTo(1);
    }

    @Test
    void shouldGiveEachLayerTheSameUpdateAloneAsTogether() {
        AdapterParameters base = AdapterParameters.initialize(SPEC, 1);
        float[] x = Synthetic.blobs(1, 16, 3, 0.5, 2).activations()[0];
        ForwardForwardTrainer together = new ForwardForwardTrainer(base, 0, SETTINGS);
        ForwardForwardTrainer firstOnly = new ForwardForwardTrainer(base, 0, SETTINGS);

        together.apply(x, 2, 0);
        firstOnly.applyLayer(0, x, 2, 0);

        assertThat(together.parameters().data(AdapterSpec.ffWeight(0)))
                .isEqualTo(firstOnly.parameters().data(AdapterSpec.ffWeight(0)));
    }

    @Test
    void shouldLearnSeparableLabels() {
        LabeledBatch data = Synthetic.blobs(300, 16, 3, 0.6, 4);
        ForwardForwardTrainer trainer =
                new ForwardForwardTrainer(AdapterParameters.initialize(SPEC, 1), 0, SETTINGS);
        double before = trainer.network().accuracy(data);

        for (int epoch = 0; epoch < 3; epoch++) {
            for (int n = 0; n < data.size(); n++) {
                float[] x = data.activations()[n];
                int label = data.labels()[n];
                trainer.apply(x, label, trainer.hardestNegative(x, label));
            }
        }

        assertThat(trainer.network().accuracy(data)).isGreaterThan(Math.max(0.9, before));
        assertThat(trainer.pairsApplied()).isEqualTo(900);
    }

    @Test
    void shouldRejectALowRankAdapter() {
        AdapterSpec lowRank = AdapterSpec.lowRankClassifier(8, 1, List.of("a", "b")).build();

        assertThatThrownBy(
                        () ->
                                new ForwardForwardTrainer(
                                        AdapterParameters.initialize(lowRank, 1), 0, SETTINGS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a FORWARD_FORWARD");
    }
}
