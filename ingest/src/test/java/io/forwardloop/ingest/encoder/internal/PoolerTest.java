package io.forwardloop.ingest.encoder.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.forwardloop.ingest.encoder.Pooling;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class PoolerTest {
    // two texts, three tokens, two dimensions; the second text's last token is padding
    private static final TokenBatch BATCH =
            new TokenBatch(
                    2,
                    3,
                    new long[] {101, 7, 102, 101, 102, 0},
                    new long[] {1, 1, 1, 1, 1, 0},
                    new long[6]);
    private static final FloatBuffer HIDDEN =
            FloatBuffer.wrap(new float[] {3, 4, 1, 1, 2, 2, 0, 2, 6, 0, 100, 100});

    @Test
    void shouldTakeTheFirstTokenForClsPooling() {
        float[][] pooled = Pooler.pool(HIDDEN, BATCH, 2, Pooling.CLS);

        assertThat(pooled[0]).containsExactly(new float[] {0.6f, 0.8f}, within(1e-6f));
        assertThat(pooled[1]).containsExactly(new float[] {0f, 1f}, within(1e-6f));
    }

    @Test
    void shouldAverageOnlyUnmaskedTokensForMeanPooling() {
        float[][] pooled = Pooler.pool(HIDDEN, BATCH, 2, Pooling.MEAN);

        // text 0: mean (2, 7/3); text 1: mean (3, 1), padding (100, 100) ignored
        double n0 = Math.hypot(2, 7.0 / 3);
        assertThat(pooled[0])
                .containsExactly(
                        new float[] {(float) (2 / n0), (float) (7 / 3.0 / n0)}, within(1e-6f));
        double n1 = Math.hypot(3, 1);
        assertThat(pooled[1])
                .containsExactly(new float[] {(float) (3 / n1), (float) (1 / n1)}, within(1e-6f));
    }

    @Test
    void shouldLeaveAZeroVectorZero() {
        float[] zero = new float[3];

        Pooler.normalise(zero);

        assertThat(zero).containsOnly(0f);
    }
}
