package io.forwardloop.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.datasets.LabeledText;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrafficPlayerTest {
    private static final List<LabeledText> TEXTS =
            List.of(new LabeledText("fine", "positive", "imdb"));

    @Test
    void shouldDrawHeavyTailedDelaysAroundTheMedianAndNeverBeyondTheCap() {
        try (TrafficPlayer player =
                player(Duration.ofSeconds(2), 1.2, Duration.ofMinutes(2)).build()) {
            SplittableRandom random = new SplittableRandom(3);
            long[] delays = new long[20_000];
            for (int i = 0; i < delays.length; i++) {
                delays[i] = player.delayMs(random.nextGaussian());
            }
            Arrays.sort(delays);

            assertThat(delays[delays.length / 2]).isBetween(1_800L, 2_200L);
            // most within seconds, a tail of tens of seconds to minutes
            assertThat(delays[(int) (delays.length * 0.9)]).isLessThan(12_000L);
            assertThat(delays[(int) (delays.length * 0.999)]).isGreaterThan(30_000L);
            assertThat(delays[delays.length - 1]).isLessThanOrEqualTo(120_000L);
            assertThat(player.delayMs(0)).isEqualTo(2_000L);
            assertThat(player.delayMs(10)).isEqualTo(120_000L);
        }
    }

    @Test
    void shouldRefuseAMedianBeyondTheCap() {
        assertThatThrownBy(() -> player(Duration.ofMinutes(3), 1.0, Duration.ofMinutes(2)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feedback delay median")
                .hasMessageContaining("PT2M");
    }

    @Test
    void shouldRefuseANegativeSpread() {
        assertThatThrownBy(() -> player(Duration.ofSeconds(1), -0.5, Duration.ofMinutes(1)).build())
                .hasMessageContaining("feedback delay spread must be in [0, 4], was -0.5");
    }

    private static TrafficPlayer.Builder player(Duration median, double spread, Duration cap) {
        return TrafficPlayer.builder()
                .gatewayUrl("http://127.0.0.1:9")
                .texts(TEXTS)
                .feedbackDelay(median)
                .feedbackDelaySpread(spread)
                .feedbackDelayCap(cap);
    }
}
