package io.forwardloop.loop.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.datasets.LabeledText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioTest {
    @Test
    void shouldTrainOnAmazonAndKeepEvaluationApartFromTraffic() {
        List<LabeledText> all = new ArrayList<>();
        for (String domain : List.of("amazon", "imdb", "yelp")) {
            for (int i = 0; i < 100; i++) {
                all.add(new LabeledText(domain + " sentence " + i, "positive", domain));
            }
        }

        Scenario scenario = Scenario.of(all, 0.2, 7);

        assertThat(scenario.firstAdapter()).hasSize(100).allMatch(t -> t.domain().equals("amazon"));
        assertThat(scenario.traffic()).noneMatch(t -> t.domain().equals("amazon"));
        assertThat(scenario.traffic()).doesNotContainAnyElementsOf(scenario.evaluation());
        assertThat(scenario.traffic().size() + scenario.evaluation().size()).isEqualTo(200);
        assertThat(scenario.evaluation().size()).isBetween(20, 60);
        assertThat(Scenario.of(all, 0.2, 7).evaluation()).isEqualTo(scenario.evaluation());
    }

    @Test
    void shouldRefuseDataWithoutTheDriftedDomains() {
        List<LabeledText> amazonOnly = List.of(new LabeledText("fine", "positive", "amazon"));

        assertThatThrownBy(() -> Scenario.of(amazonOnly, 0.2, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imdb");
    }
}
