package io.forwardloop.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {

    private static final List<Integer> TEN = IntStream.range(0, 10).boxed().toList();
    private static final Integer[] GOLDEN_TEST = {4, 6, 2};

    @Test
    void shouldGiveTheSameSplitForTheSameSeedOnEveryJvm() {
        // java.util.Random's sequence is fixed by its specification, so this split is too
        Split<Integer> split = Splits.trainTest(TEN, 0.3, 42);

        assertThat(split.test()).containsExactly(GOLDEN_TEST);
        assertThat(Splits.trainTest(TEN, 0.3, 42)).isEqualTo(split);
        assertThat(Splits.trainTest(TEN, 0.3, 43)).isNotEqualTo(split);
    }

    @Test
    void shouldSplitIntoDisjointPartsThatCoverEveryItem() {
        List<Integer> items = IntStream.range(0, 1001).boxed().toList();

        Split<Integer> split = Splits.trainTest(items, 0.2, 7);

        assertThat(split.test()).hasSize(200).doesNotContainAnyElementsOf(split.train());
        List<Integer> all = new ArrayList<>(split.train());
        all.addAll(split.test());
        assertThat(all).containsExactlyInAnyOrderElementsOf(items);
    }

    @Test
    void shouldKeepLabelProportionsInAStratifiedSplit() {
        List<Integer> items = IntStream.range(0, 100).boxed().toList();
        Function<Integer, String> label = i -> i < 80 ? "negative" : "positive";

        Split<Integer> split = Splits.stratifiedTrainTest(items, label, 0.25, 1);

        assertThat(split.test()).hasSize(25).filteredOn(i -> i >= 80).hasSize(5);
        assertThat(split.train()).hasSize(75).doesNotContainAnyElementsOf(split.test());
    }

    @Test
    void shouldTestEveryItemExactlyOnceAcrossStratifiedFolds() {
        List<Integer> items = IntStream.range(0, 50).boxed().toList();
        Function<Integer, String> label = i -> i % 5 == 0 ? "rare" : "common";

        List<Split<Integer>> folds = Splits.stratifiedKFold(items, label, 5, 3);

        List<Integer> tested = folds.stream().flatMap(f -> f.test().stream()).toList();
        assertThat(tested).containsExactlyInAnyOrderElementsOf(items);
        for (Split<Integer> fold : folds) {
            assertThat(fold.test()).hasSize(10).filteredOn(i -> i % 5 == 0).hasSize(2);
            assertThat(fold.train()).hasSize(40).doesNotContainAnyElementsOf(fold.test());
        }
        assertThat(Splits.stratifiedKFold(items, label, 5, 3)).isEqualTo(folds);
    }

    @Test
    void shouldRejectBadFractionsAndFoldCounts() {
        assertThatThrownBy(() -> Splits.trainTest(TEN, 1.5, 1))
                .hasMessageContaining("testFraction must be in [0, 1] but is 1.5");
        assertThatThrownBy(() -> Splits.trainTest(TEN, Double.NaN, 1))
                .hasMessageContaining("but is NaN");
        assertThatThrownBy(() -> Splits.stratifiedKFold(TEN, String::valueOf, 11, 1))
                .hasMessageContaining("k must be between 2 and the number of items (10) but is 11");
    }
}
