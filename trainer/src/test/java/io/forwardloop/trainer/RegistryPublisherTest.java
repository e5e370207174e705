package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;

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
}
