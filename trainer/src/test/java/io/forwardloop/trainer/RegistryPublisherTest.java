package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryPublisherTest {
    private static final List<String> LABELS = List.of("negative", "positive");

    @Test
    void shouldRecordTheRankAndScaleOfALowRankClassifier() {
        AdapterSpec spec = AdapterSpec.lowRankClassifier(8, 3, LABELS).loraScale(0.5f).build();

        assertThat(RegistryPublisher.shape(spec))
                .containsOnlyKeys("rank", "lora_scale")
                .containsEntry("rank", 3)
                .containsEntry("lora_scale", 0.5);
    }

    @Test
    void shouldRecordTheLayersAndScalesOfAForwardForwardAdapter() {
        AdapterSpec spec = AdapterSpec.forwardForward(8, LABELS, List.of(16, 4)).build();

        assertThat(RegistryPublisher.shape(spec))
                .containsEntry("hidden_sizes", "16,4")
                .containsEntry("label_scale", (double) spec.labelScale())
                .containsEntry("goodness_threshold", (double) spec.goodnessThreshold());
    }

    @Test
    void shouldWriteTheStepVersionInTheFileHeaderSaturatedAtTheIntRange() {
        assertThat(RegistryPublisher.fileVersion(250)).isEqualTo(250);
        assertThat(RegistryPublisher.fileVersion(3_000_000_000L)).isEqualTo(Integer.MAX_VALUE);
        assertThat(RegistryPublisher.fileVersion((1L << 32) + 5)).isEqualTo(Integer.MAX_VALUE);
        assertThat(RegistryPublisher.fileVersion(-1)).isZero();
    }

    @Test
    void shouldNameTheShapeKeysOfEachKind() {
        assertThat(RegistryPublisher.shapeKeys(AdapterKind.LOW_RANK_CLASSIFIER))
                .isEqualTo(
                        List.copyOf(
                                RegistryPublisher.shape(
                                                AdapterSpec.lowRankClassifier(8, 1, LABELS).build())
                                        .keySet()));
        assertThat(RegistryPublisher.shapeKeys(AdapterKind.FORWARD_FORWARD))
                .isEqualTo(
                        List.copyOf(
                                RegistryPublisher.shape(
                                                AdapterSpec.forwardForward(8, LABELS, List.of(4))
                                                        .build())
                                        .keySet()));
    }
}
