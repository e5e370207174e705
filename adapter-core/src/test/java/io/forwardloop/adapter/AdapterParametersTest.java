package io.forwardloop.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdapterParametersTest {
    private static final AdapterSpec SPEC =
            AdapterSpec.lowRankClassifier(6, 2, List.of("neg", "pos", "neutral"))
                    .loraScale(0.5f)
                    .build();

    @Test
    void shouldRoundTripThroughBytesWithTheSameDigest() {
        AdapterParameters params = ZerothOrderTestSupport.random(SPEC, 4L);
        AdapterParameters decoded = AdapterParameters.fromBytes(params.toBytes());
        assertThat(decoded.spec()).isEqualTo(SPEC);
        assertThat(decoded.contentEquals(params)).isTrue();
        assertThat(decoded.digest()).isEqualTo(params.digest()).hasSize(64);
    }

    @Test
    void shouldRoundTripForwardForwardSpecs() {
        AdapterSpec spec =
                AdapterSpec.forwardForward(5, List.of("x", "y"), List.of(7, 3))
                        .labelScale(2.5f)
                        .goodnessThreshold(4f)
                        .build();
        AdapterParameters params = AdapterParameters.initialize(spec, 8L);
        assertThat(AdapterParameters.fromBytes(params.toBytes()).contentEquals(params)).isTrue();
    }

    @Test
    void shouldChangeDigestWhenOneBitChanges() {
        AdapterParameters params = ZerothOrderTestSupport.random(SPEC, 4L);
        AdapterParameters changed = params.copy();
        float[] bias = changed.data(AdapterSpec.CLASSIFIER_BIAS);
        bias[1] = Float.intBitsToFloat(Float.floatToRawIntBits(bias[1]) ^ 1);
        assertThat(changed.digest()).isNotEqualTo(params.digest());
        assertThat(params.data(AdapterSpec.CLASSIFIER_BIAS)[1]).isNotEqualTo(bias[1]);
    }

    @Test
    void shouldInitialiseLoraUpAndClassifierToZeroAndDownFromTheSeed() {
        AdapterParameters params = AdapterParameters.initialize(SPEC, 21L);
        assertThat(params.data(AdapterSpec.LORA_UP)).containsOnly(0f);
        assertThat(params.data(AdapterSpec.CLASSIFIER_WEIGHT)).containsOnly(0f);
        assertThat(params.data(AdapterSpec.LORA_DOWN)).doesNotContain(0f);
        assertThat(AdapterParameters.initialize(SPEC, 21L).digest()).isEqualTo(params.digest());
        assertThat(AdapterParameters.initialize(SPEC, 22L).digest()).isNotEqualTo(params.digest());
    }

    @Test
    void shouldNotShareArraysBetweenCopies() {
        AdapterParameters params = ZerothOrderTestSupport.random(SPEC, 4L);
        AdapterParameters copy = params.copy();
        copy.data(0)[0] += 1f;
        assertThat(copy.contentEquals(params)).isFalse();
    }

    @Test
    void shouldRejectWrongMagicTruncationAndTrailingBytes() {
        byte[] bytes = ZerothOrderTestSupport.random(SPEC, 4L).toBytes();
        byte[] badMagic = bytes.clone();
        badMagic[0] = 'X';
        assertThatThrownBy(() -> AdapterParameters.fromBytes(badMagic))
                .isInstanceOf(AdapterFormatException.class)
                .hasMessageContaining("not adapter parameters: magic");
        assertThatThrownBy(() -> AdapterParameters.fromBytes(Arrays.copyOf(bytes, 60)))
                .isInstanceOf(AdapterFormatException.class)
                .hasMessageContaining("bytes left");
        assertThatThrownBy(
                        () -> AdapterParameters.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
                .hasMessageContaining("truncated");
        assertThatThrownBy(
                        () -> AdapterParameters.fromBytes(Arrays.copyOf(bytes, bytes.length + 3)))
                .hasMessageContaining("3 trailing bytes");
    }

    @Test
    void shouldRejectAnInvalidSpecInTheHeader() {
        byte[] bytes = ZerothOrderTestSupport.random(SPEC, 4L).toBytes();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 99);
        assertThatThrownBy(() -> AdapterParameters.fromBytes(bytes))
                .isInstanceOf(AdapterFormatException.class)
                .hasMessageContaining("rank must be in [1, inputDim=6], got 99");
    }

    @Test
    void shouldRejectTensorsOfTheWrongCountOrLength() {
        assertThatThrownBy(() -> AdapterParameters.of(SPEC, List.of(new float[12])))
                .hasMessageContaining("expected 4 tensors");
        assertThatThrownBy(
                        () ->
                                AdapterParameters.of(
                                        SPEC,
                                        List.of(
                                                new float[12],
                                                new float[12],
                                                new float[18],
                                                new float[2])))
                .hasMessageContaining("classifier_bias[3] needs 3 values, got 2");
    }

    @Test
    void shouldCountNonFiniteValues() {
        AdapterParameters params = AdapterParameters.zeros(SPEC);
        params.data(1)[3] = Float.NaN;
        params.data(2)[0] = Float.POSITIVE_INFINITY;
        assertThat(params.nonFiniteCount()).isEqualTo(2);
    }
}
