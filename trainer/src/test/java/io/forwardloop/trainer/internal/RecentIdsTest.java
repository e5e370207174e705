package io.forwardloop.trainer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentIdsTest {
    @Test
    void shouldRecogniseARepeatAndForgetTheOldestBeyondCapacity() {
        RecentIds ids = new RecentIds(3);

        assertThat(ids.add("a")).isTrue();
        assertThat(ids.add("b")).isTrue();
        assertThat(ids.add("a")).isFalse();
        ids.add("c");
        ids.add("d");

        assertThat(ids.size()).isEqualTo(3);
        assertThat(ids.contains("a")).isFalse();
        assertThat(ids.contains("b")).isTrue();
        assertThat(ids.add("a")).isTrue();
        assertThat(ids.contains("b")).isFalse();
    }

    @Test
    void shouldRememberNothingAtCapacityZero() {
        RecentIds ids = new RecentIds(0);

        assertThat(ids.add("a")).isTrue();
        assertThat(ids.add("a")).isTrue();
        assertThat(ids.contains("a")).isFalse();
        assertThat(ids.retainedBytes()).isZero();
    }

    @Test
    void shouldEstimateItsHeapFromTheIdsHeld() {
        RecentIds ids = new RecentIds(10_000);
        for (int n = 0; n < 20_000; n++) {
            ids.add("sig-" + n);
        }

        assertThat(ids.size()).isEqualTo(10_000);
        assertThat(ids.retainedBytes()).isBetween(10_000L * 96, 10_000L * 110);
    }

    @Test
    void shouldRejectANegativeCapacity() {
        assertThatThrownBy(() -> new RecentIds(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
    }
}
