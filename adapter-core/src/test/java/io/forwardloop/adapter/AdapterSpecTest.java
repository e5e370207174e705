package io.forwardloop.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdapterSpecTest {
    private static final List<String> LABELS = List.of("negative", "positive");

    @Test
    void shouldListLowRankTensorsInTheirFixedOrder() {
        AdapterSpec spec = AdapterSpec.lowRankClassifier(384, 8, LABELS).build();
        assertThat(spec.tensors())
                .containsExactly(
                        new TensorSpec("lora_down", 8, 384),
                        new TensorSpec("lora_up", 384, 8),
                        new TensorSpec("classifier_weight", 2, 384),
                        new TensorSpec("classifier_bias", 2));
        assertThat(spec.parameterCount()).isEqualTo(2 * 8 * 384 + 2 * 384 + 2);
    }

    @Test
    void shouldListForwardForwardLayersWithLabelWideFirstInput() {
        AdapterSpec spec = AdapterSpec.forwardForward(16, LABELS, List.of(32, 8)).build();
        assertThat(spec.tensors())
                .containsExactly(
                        new TensorSpec("ff_weight_0", 32, 18),
                        new TensorSpec("ff_bias_0", 32),
                        new TensorSpec("ff_weight_1", 8, 32),
                        new TensorSpec("ff_bias_1", 8));
    }

    @Test
    void shouldRejectRankOutsideTheInputWidth() {
        assertThatThrownBy(() -> AdapterSpec.lowRankClassifier(4, 5, LABELS).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rank must be in [1, inputDim=4], got 5");
        assertThatThrownBy(() -> AdapterSpec.lowRankClassifier(4, 0, LABELS).build())
                .hasMessageContaining("got 0");
    }

    @Test
    void shouldRejectDuplicateTooFewOrBlankLabels() {
        assertThatThrownBy(() -> AdapterSpec.lowRankClassifier(4, 1, List.of("a", "a")).build())
                .hasMessageContaining("labels must be distinct, got [a, a]");
        assertThatThrownBy(() -> AdapterSpec.lowRankClassifier(4, 1, List.of("a")).build())
                .hasMessageContaining("at least 2 labels, got [a]");
        assertThatThrownBy(() -> AdapterSpec.lowRankClassifier(4, 1, List.of("a", " ")).build())
                .hasMessageContaining("labels must not be blank");
    }

    @Test
    void shouldRejectSettingsOfTheOtherKind() {
        assertThatThrownBy(() -> AdapterSpec.forwardForward(4, LABELS, List.of(3)).rank(2).build())
                .hasMessageContaining("rank applies only to LOW_RANK_CLASSIFIER, got 2");
        assertThatThrownBy(
                        () ->
                                AdapterSpec.lowRankClassifier(4, 1, LABELS)
                                        .hiddenSizes(List.of(3))
                                        .build())
                .hasMessageContaining("hiddenSizes apply only to FORWARD_FORWARD, got [3]");
    }

    @Test
    void shouldRejectBadForwardForwardSizesAndThresholds() {
        assertThatThrownBy(() -> AdapterSpec.forwardForward(4, LABELS, List.of()).build())
                .hasMessageContaining("hiddenSizes must name at least one layer");
        assertThatThrownBy(() -> AdapterSpec.forwardForward(4, LABELS, List.of(3, 0)).build())
                .hasMessageContaining("hiddenSizes must all be > 0, got [3, 0]");
        assertThatThrownBy(
                        () ->
                                AdapterSpec.forwardForward(4, LABELS, List.of(3))
                                        .goodnessThreshold(Float.NaN)
                                        .build())
                .hasMessageContaining("goodnessThreshold must be finite and > 0, got NaN");
        assertThatThrownBy(() -> AdapterSpec.lowRankClassifier(0, 1, LABELS).build())
                .hasMessageContaining("inputDim must be > 0, got 0");
    }
}
