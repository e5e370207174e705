package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.trainer.internal.ServedSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServedSpecTest {
    private static final List<String> LABELS = List.of("negative", "positive");
    private static final AdapterSpec CONFIGURED =
            AdapterSpec.lowRankClassifier(8, 1, LABELS).build();

    private static AdapterParameters servedAs(
            InMemoryPublisher registry, AdapterSpec spec, String encoder) {
        AdapterParameters params = AdapterParameters.initialize(spec, 5);
        long version = registry.publishOffline("sentiment", params, encoder);
        registry.promote("sentiment", "serving", version);
        return params;
    }

    private static AdapterParameters check(InMemoryPublisher registry) {
        AdapterPublisher.VersionInfo served =
                registry.describe("sentiment", "serving").orElseThrow();
        return ServedSpec.parameters(
                registry, "sentiment", "serving", served, CONFIGURED, "bge-small-q");
    }

    @Test
    void shouldReturnTheServedParametersWhenTheSpecsMatch() {
        InMemoryPublisher registry = new InMemoryPublisher();
        AdapterParameters served = servedAs(registry, CONFIGURED, "bge-small-q");

        assertThat(check(registry).digest()).isEqualTo(served.digest());
    }

    @Test
    void shouldNameBothLabelSetsAndTheKeysToChange() {
        InMemoryPublisher registry = new InMemoryPublisher();
        servedAs(
                registry,
                AdapterSpec.lowRankClassifier(8, 1, List.of("neg", "pos")).build(),
                "bge-small-q");

        assertThatThrownBy(() -> check(registry))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alias 'serving' serves version 1")
                .hasMessageContaining("labels [neg, pos]")
                .hasMessageContaining("labels [negative, positive]")
                .hasMessageContaining("the label sets differ")
                .hasMessageContaining(TrainerConfig.LABELS)
                .hasMessageContaining("forwardloop train");
    }

    @Test
    void shouldRefuseAServedVersionOfAnotherWidthEncoderRankOrKind() {
        InMemoryPublisher wider = new InMemoryPublisher();
        servedAs(wider, AdapterSpec.lowRankClassifier(16, 1, LABELS).build(), "bge-small-q");
        InMemoryPublisher otherEncoder = new InMemoryPublisher();
        servedAs(otherEncoder, CONFIGURED, "minilm");
        InMemoryPublisher higherRank = new InMemoryPublisher();
        servedAs(higherRank, AdapterSpec.lowRankClassifier(8, 4, LABELS).build(), "bge-small-q");
        InMemoryPublisher forwardForward = new InMemoryPublisher();
        servedAs(
                forwardForward,
                AdapterSpec.forwardForward(8, LABELS, List.of(4)).build(),
                "bge-small-q");

        assertThatThrownBy(() -> check(wider))
                .hasMessageContaining("input dim 8")
                .hasMessageContaining("its artifact does not fit");
        assertThatThrownBy(() -> check(otherEncoder))
                .hasMessageContaining("encoder minilm")
                .hasMessageContaining("encoder bge-small-q")
                .hasMessageContaining("the encoders differ");
        assertThatThrownBy(() -> check(higherRank))
                .hasMessageContaining("rank 4")
                .hasMessageContaining("their rank differs");
        assertThatThrownBy(() -> check(forwardForward))
                .hasMessageContaining("FORWARD_FORWARD, encoder bge-small-q")
                .hasMessageContaining("hidden_sizes 4")
                .hasMessageContaining("the kinds differ");
    }
}
