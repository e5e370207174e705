package io.forwardloop.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Adapter graphs depend on the adapter's shape, not on the names of its labels. */
class AdapterGraphsTest {

    @Test
    void shouldBuildTheSameLowRankGraphForLabelSetsThatDifferOnlyInNames() {
        AdapterSpec sentiment =
                AdapterSpec.lowRankClassifier(16, 4, List.of("negative", "positive")).build();
        AdapterSpec spam = AdapterSpec.lowRankClassifier(16, 4, List.of("ham", "spam")).build();

        assertThat(AdapterGraphs.lowRankClassifier(spam).toByteArray())
                .isEqualTo(AdapterGraphs.lowRankClassifier(sentiment).toByteArray());
    }

    @Test
    void shouldBuildTheSameForwardForwardGraphForLabelSetsThatDifferOnlyInNames() {
        AdapterSpec topics =
                AdapterSpec.forwardForward(16, List.of("a", "b", "c"), List.of(8, 4)).build();
        AdapterSpec colours =
                AdapterSpec.forwardForward(16, List.of("red", "green", "blue"), List.of(8, 4))
                        .build();

        assertThat(AdapterGraphs.forwardForward(colours).toByteArray())
                .isEqualTo(AdapterGraphs.forwardForward(topics).toByteArray());
    }

    @Test
    void shouldBuildDifferentGraphsForDifferentLabelCounts() {
        AdapterSpec two = AdapterSpec.lowRankClassifier(16, 4, List.of("no", "yes")).build();
        AdapterSpec three =
                AdapterSpec.lowRankClassifier(16, 4, List.of("no", "yes", "maybe")).build();

        assertThat(AdapterGraphs.lowRankClassifier(three).toByteArray())
                .isNotEqualTo(AdapterGraphs.lowRankClassifier(two).toByteArray());
    }
}
