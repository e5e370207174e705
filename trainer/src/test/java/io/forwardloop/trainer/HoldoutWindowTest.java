package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.adapter.LabeledBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class HoldoutWindowTest {
    private static final List<String> LABELS = List.of("negative", "positive");

    private static float[] row(float value) {
        return new float[] {value, value, value};
    }

    @Test
    void shouldKeepTheNewestExamplesOldestFirst() {
        HoldoutWindow window = new HoldoutWindow(3, 3, LABELS);
        for (int n = 0; n < 5; n++) {
            window.add(row(n), LABELS.get(n % 2));
        }

        LabeledBatch batch = window.snapshot();

        assertThat(window.size()).isEqualTo(3);
        assertThat(window.added()).isEqualTo(5);
        assertThat(batch.activations()[0][0]).isEqualTo(2f);
        assertThat(batch.activations()[1][0]).isEqualTo(3f);
        assertThat(batch.activations()[2][0]).isEqualTo(4f);
        assertThat(batch.labels()).containsExactly(0, 1, 0);
    }

    @Test
    void shouldSkipAnUnknownLabelOrAWrongWidth() {
        HoldoutWindow window = new HoldoutWindow(3, 3, LABELS);

        assertThat(window.add(row(1), "neutral")).isFalse();
        assertThat(window.add(new float[] {1, 2}, "positive")).isFalse();
        assertThat(window.add(row(1), "positive")).isTrue();
        assertThat(window.skipped()).isEqualTo(2);
        assertThat(window.size()).isEqualTo(1);
    }

    @Test
    void shouldBoundItsHeapByCapacityTimesWidthTimesFourBytes() {
        HoldoutWindow window = new HoldoutWindow(2000, 384, LABELS);
        long empty = window.retainedBytes();
        for (int n = 0; n < 2500; n++) {
            window.add(new float[384], "positive");
        }

        long activations = 2000L * 384 * Float.BYTES;
        assertThat(empty).isLessThan(2000L * 16);
        assertThat(window.retainedBytes()).isEqualTo(window.maxRetainedBytes());
        assertThat(window.maxRetainedBytes()).isBetween(activations, activations * 11 / 10);
    }

    @Test
    void shouldRejectAnEmptyCapacity() {
        assertThatThrownBy(() -> new HoldoutWindow(0, 3, LABELS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity and input width must be >= 1, got 0 and 3");
    }
}
