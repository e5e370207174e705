package io.forwardloop.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PerturbationTest {

    /**
     * Frozen outputs, as raw float bits. The first value was checked by hand: Philox4x32-10 of
     * counter 0 / key 0 starts with 0x6627e8d5 0xe169c58d, u1 = 0.39905, u2 = 0.88052, z = sqrt(-2
     * ln u1) cos(2 pi u2) = 0.99114.
     */
    @Test
    void shouldReproduceGoldenVectors() {
        assertGolden(0L, 0, 0x3f7dbb33, 0xbf6cb6b0, 0xbf1e1b9f, 0xbef6d1b2, 0xbe1d5357, 0x3e392a6d);
        assertGolden(
                42L, 1, 0x40082c17, 0x400a53f3, 0xbed108e0, 0xbfd472ca, 0x40015d4b, 0xbddda09e);
        assertGolden(
                0x0123456789abcdefL,
                3,
                0xbd5989bf,
                0x3fc40c3d,
                0x3fdbc431,
                0xbf2f1e0e,
                0xbdab5075,
                0xbeb3d07b);
    }

    @Test
    void shouldGiveTheSameValueElementwiseAndInBulk() {
        float[] bulk = new float[11];
        Perturbation.fill(7L, 2, bulk);
        for (int i = 0; i < bulk.length; i++) {
            assertThat(Float.floatToRawIntBits(Perturbation.gaussian(7L, 2, i)))
                    .as("element %d", i)
                    .isEqualTo(Float.floatToRawIntBits(bulk[i]));
        }
    }

    @Test
    void shouldBeRepeatableAndDifferAcrossSeedsAndTensors() {
        float[] first = filled(99L, 0, 64);
        assertThat(filled(99L, 0, 64)).isEqualTo(first);
        assertThat(filled(100L, 0, 64)).isNotEqualTo(first);
        assertThat(filled(99L, 1, 64)).isNotEqualTo(first);
        assertThat(Perturbation.gaussian(99L, 0, 1L << 33))
                .isNotEqualTo(Perturbation.gaussian(99L, 0, 0));
    }

    @Test
    void shouldHaveStandardNormalMoments() {
        float[] values = filled(12345L, 0, 200_000);
        double mean = Arrays.stream(toDoubles(values)).average().orElseThrow();
        double variance =
                Arrays.stream(toDoubles(values)).map(v -> (v - mean) * (v - mean)).sum()
                        / values.length;
        long withinOneSigma = Arrays.stream(toDoubles(values)).filter(v -> Math.abs(v) < 1).count();
        assertThat(mean).isCloseTo(0.0, within(0.01));
        assertThat(variance).isCloseTo(1.0, within(0.015));
        assertThat(withinOneSigma / (double) values.length).isCloseTo(0.6827, within(0.005));
    }

    @Test
    void shouldFillEveryLengthWithTheValuesAddressedOneByOne() {
        for (int length = 1; length <= 9; length++) {
            float[] values = filled(77L, 2, length);
            for (int i = 0; i < length; i++) {
                assertThat(Float.floatToRawIntBits(values[i]))
                        .as("length %d element %d", length, i)
                        .isEqualTo(Float.floatToRawIntBits(Perturbation.gaussian(77L, 2, i)));
            }
        }
    }

    @Test
    void shouldRejectNegativeIndex() {
        assertThatThrownBy(() -> Perturbation.gaussian(1L, 0, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
    }

    private static void assertGolden(long seed, int tensor, int... bits) {
        float[] values = filled(seed, tensor, bits.length);
        int[] actual = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            actual[i] = Float.floatToRawIntBits(values[i]);
        }
        assertThat(actual).as("seed %d tensor %d", seed, tensor).containsExactly(bits);
    }

    private static float[] filled(long seed, int tensor, int length) {
        float[] out = new float[length];
        Perturbation.fill(seed, tensor, out);
        return out;
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
