package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.LabeledBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    @Test
    void shouldCountPerLabelAndComputeLoss() {
        AdapterSpec spec = AdapterSpec.lowRankClassifier(2, 1, List.of("neg", "pos")).build();
        AdapterParameters params = AdapterParameters.zeros(spec);
        params.data(AdapterSpec.CLASSIFIER_BIAS)[1] = 1f;
        LabeledBatch data =
                new LabeledBatch(new float[][] {{1, 0}, {0, 1}, {1, 1}}, new int[] {0, 1, 1});

        Evaluation evaluation = Evaluation.of(params, data);

        assertThat(evaluation.accuracy()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(evaluation.perLabel().get("neg")).isEqualTo(new Evaluation.LabelCounts(1, 0));
        assertThat(evaluation.perLabel().get("pos")).isEqualTo(new Evaluation.LabelCounts(2, 2));
        double expected = (Math.log(1 + Math.E) - 0 + 2 * (Math.log(1 + Math.E) - 1)) / 3;
        assertThat(evaluation.loss()).isCloseTo(expected, within(1e-6));
        assertThat(evaluation.metrics()).containsEntry("correct.pos", 2.0);
    }

    @Test
    void shouldKeepOnlyTheNewestHoldoutExamples() {
        HoldoutWindow window = new HoldoutWindow(2, 2, List.of("a", "b"));

        window.add(new float[] {1, 0}, "a");
        window.add(new float[] {0, 1}, "b");
        window.add(new float[] {1, 1}, "b");
        window.add(new float[] {1, 1}, "c");
        window.add(new float[] {1}, "a");

        assertThat(window.size()).isEqualTo(2);
        assertThat(window.skipped()).isEqualTo(2);
        assertThat(window.snapshot().labels()).containsExactly(1, 1);
        assertThat(window.snapshot().activations()[1]).containsExactly(1f, 1f);
    }
}
