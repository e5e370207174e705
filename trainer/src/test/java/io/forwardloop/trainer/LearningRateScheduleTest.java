package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void shouldFollowEachScheduleShape() {
        assertThat(LearningRateSchedule.CONSTANT.rate(0.1, 500, 100)).isEqualTo(0.1);
        assertThat(LearningRateSchedule.COSINE.rate(0.1, 0, 100)).isEqualTo(0.1);
        assertThat(LearningRateSchedule.COSINE.rate(0.1, 50, 100)).isCloseTo(0.05, within(1e-12));
        assertThat(LearningRateSchedule.COSINE.rate(0.1, 200, 100)).isCloseTo(0.0, within(1e-12));
        assertThat(LearningRateSchedule.INVERSE_SQRT.rate(0.1, 300, 100))
                .isCloseTo(0.05, within(1e-12));
    }

    @Test
    void shouldParseConfigNames() {
        assertThat(LearningRateSchedule.parse("inverse-sqrt"))
                .isEqualTo(LearningRateSchedule.INVERSE_SQRT);
        assertThat(LearningRateSchedule.INVERSE_SQRT.configName()).isEqualTo("inverse-sqrt");
        assertThatThrownBy(() -> LearningRateSchedule.parse("step"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown learning rate schedule 'step'");
    }
}
