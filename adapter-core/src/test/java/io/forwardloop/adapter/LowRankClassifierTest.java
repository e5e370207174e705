package io.forwardloop.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LowRankClassifierTest {
    private static final AdapterSpec SPEC =
            AdapterSpec.lowRankClassifier(2, 1, List.of("a", "b")).loraScale(0.5f).build();

    /** h = (1, 2); down = (1, -1) so down h = -1; up = (2, 4) so h' = h + 0.5 * (-2, -4). */
    @Test
    void shouldComputeTheLowRankResidualAndLogitsByHand() {
        AdapterParameters params =
                AdapterParameters.of(
                        SPEC,
                        List.of(
                                new float[] {1, -1},
                                new float[] {2, 4},
                                new float[] {1, 0, 3, 1},
                                new float[] {0.5f, -1}));
        float[] logits = new LowRankClassifier(params).logits(new float[] {1, 2});
        // h' = (0, 0): logits = bias
        assertThat(logits).containsExactly(0.5f, -1f);
        float[] other = new LowRankClassifier(params).logits(new float[] {2, 1});
        // down h = 1; h' = (2 + 1, 1 + 2) = (3, 3); logits = (3 + 0.5, 9 + 3 - 1)
        assertThat(other).containsExactly(3.5f, 11f);
    }

    @Test
    void shouldStartAsTheIdentityResidualWithUniformProbabilities() {
        AdapterSpec spec = AdapterSpec.lowRankClassifier(4, 2, List.of("x", "y", "z")).build();
        LowRankClassifier classifier =
                new LowRankClassifier(AdapterParameters.initialize(spec, 1L));
        LabeledBatch batch =
                new LabeledBatch(new float[][] {{1, 2, 3, 4}, {0, 0, 1, 0}}, new int[] {0, 2});
        assertThat(classifier.probabilities(batch.activations()[0]))
                .containsExactly(1 / 3f, 1 / 3f, 1 / 3f);
        assertThat(classifier.meanCrossEntropy(batch)).isCloseTo(Math.log(3), within(1e-12));
    }

    @Test
    void shouldPredictTheLargestLogitAndScoreAccuracy() {
        AdapterParameters params = AdapterParameters.zeros(SPEC);
        params.data(AdapterSpec.CLASSIFIER_WEIGHT)[0] = 1;
        params.data(AdapterSpec.CLASSIFIER_WEIGHT)[3] = 1;
        LowRankClassifier classifier = new LowRankClassifier(params);
        LabeledBatch batch =
                new LabeledBatch(new float[][] {{3, 1}, {1, 3}, {1, 3}}, new int[] {0, 1, 0});
        assertThat(classifier.predict(new float[] {3, 1})).isZero();
        assertThat(classifier.predict(new float[] {1, 3})).isOne();
        assertThat(classifier.accuracy(batch)).isCloseTo(2 / 3.0, within(1e-12));
        float[] p = classifier.probabilities(new float[] {3, 1});
        assertThat(p[0] + p[1]).isCloseTo(1f, within(1e-6f));
        assertThat(p[0]).isCloseTo((float) (1 / (1 + Math.exp(-2))), within(1e-6f));
    }

    @Test
    void shouldRejectWrongWidthLabelAndKind() {
        LowRankClassifier classifier = new LowRankClassifier(AdapterParameters.zeros(SPEC));
        assertThatThrownBy(() -> classifier.logits(new float[3]))
                .hasMessageContaining("activation has width 3; the adapter reads width 2");
        assertThatThrownBy(
                        () ->
                                classifier.meanCrossEntropy(
                                        new LabeledBatch(new float[][] {{1, 1}}, new int[] {2})))
                .hasMessageContaining("label index 2 is outside [0, 2)");
        AdapterSpec ff = AdapterSpec.forwardForward(2, List.of("a", "b"), List.of(3)).build();
        assertThatThrownBy(() -> new LowRankClassifier(AdapterParameters.zeros(ff)))
                .hasMessageContaining("needs LOW_RANK_CLASSIFIER parameters, got FORWARD_FORWARD");
    }
}
