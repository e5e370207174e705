package io.forwardloop.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.adapter.internal.OrtAdapterFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxAdapterFileTest {
    private static final AdapterSpec SPEC =
            AdapterSpec.lowRankClassifier(6, 2, List.of("neg", "pos", "neutral")).build();

    @Test
    void shouldWriteAFileThatVerifiesBackToTheSameParameters(@TempDir Path dir) throws Exception {
        AdapterParameters params = ZerothOrderTestSupport.random(SPEC, 3L);
        Path file = dir.resolve("sentiment.onnx_adapter");
        OnnxAdapterFile.write(file, params, 12, 3);
        byte[] bytes = Files.readAllBytes(file);

        assertThat(new String(bytes, 4, 4, "ISO-8859-1")).isEqualTo("TORT");
        assertThat(OnnxAdapterFile.header(bytes)).isEqualTo(new OnnxAdapterFile.Header(1, 12, 3));
        assertThat(OnnxAdapterFile.verify(bytes, SPEC).contentEquals(params)).isTrue();
    }

    @Test
    void shouldAlignRawDataToEightBytesAndKeepTheSpecOrder() {
        byte[] bytes = OnnxAdapterFile.toBytes(ZerothOrderTestSupport.random(SPEC, 3L), 1, 1);
        OrtAdapterFormat.Adapter adapter = OrtAdapterFormat.read(bytes);
        assertThat(adapter.parameters())
                .extracting(OrtAdapterFormat.Parameter::name)
                .containsExactly("lora_down", "lora_up", "classifier_weight", "classifier_bias");
        for (OrtAdapterFormat.Parameter parameter : adapter.parameters()) {
            assertThat(parameter.rawData().arrayOffset() % 8).as(parameter.name()).isZero();
        }
        assertThat(adapter.parameters().get(0).dims()).containsExactly(2L, 6L);
    }

    @Test
    void shouldRefuseAFileWithTheWrongIdentifier() {
        byte[] bytes = OnnxAdapterFile.toBytes(ZerothOrderTestSupport.random(SPEC, 3L), 1, 1);
        bytes[4] = 'X';
        assertThatThrownBy(() -> OnnxAdapterFile.verify(bytes, SPEC))
                .isInstanceOf(AdapterFormatException.class)
                .hasMessageContaining("identifier 'XORT', expected 'TORT'");
    }

    @Test
    void shouldRefuseATruncatedFile() {
        byte[] bytes = OnnxAdapterFile.toBytes(ZerothOrderTestSupport.random(SPEC, 3L), 1, 1);
        for (int length : new int[] {3, 40, bytes.length / 2, bytes.length - 9}) {
            assertThatThrownBy(() -> OnnxAdapterFile.verify(Arrays.copyOf(bytes, length), SPEC))
                    .as("length %d", length)
                    .isInstanceOf(AdapterFormatException.class);
        }
    }

    @Test
    void shouldRejectAdapterWithNonFiniteWeights() {
        AdapterParameters params = ZerothOrderTestSupport.random(SPEC, 3L);
        params.data(AdapterSpec.LORA_UP)[4] = Float.NaN;
        params.data(AdapterSpec.LORA_UP)[5] = Float.NEGATIVE_INFINITY;
        byte[] bytes = OnnxAdapterFile.toBytes(params, 1, 1);
        assertThatThrownBy(() -> OnnxAdapterFile.verify(bytes, SPEC))
                .hasMessageContaining("lora_up[6, 2] has 2 non-finite weights");
    }

    @Test
    void shouldRejectAFileForAnotherSpec() {
        byte[] bytes = OnnxAdapterFile.toBytes(ZerothOrderTestSupport.random(SPEC, 3L), 1, 1);
        AdapterSpec wider = AdapterSpec.lowRankClassifier(7, 2, SPEC.labels()).build();
        assertThatThrownBy(() -> OnnxAdapterFile.verify(bytes, wider))
                .hasMessageContaining("holds tensor lora_down[2, 6] of data type 1")
                .hasMessageContaining("expected lora_down[2, 7]");
        AdapterSpec forward = AdapterSpec.forwardForward(6, SPEC.labels(), List.of(4)).build();
        assertThatThrownBy(() -> OnnxAdapterFile.verify(bytes, forward))
                .hasMessageContaining("lacks tensor ff_weight_0[4, 9]");
    }

    @Test
    void shouldRejectAnUnsupportedFormatVersion() {
        byte[] bytes = OnnxAdapterFile.toBytes(ZerothOrderTestSupport.random(SPEC, 3L), 1, 1);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int root = buffer.getInt(0);
        int vtable = root - buffer.getInt(root);
        int formatVersion = root + buffer.getShort(vtable + 4);
        buffer.putInt(formatVersion, 2);
        assertThatThrownBy(() -> OnnxAdapterFile.header(bytes))
                .hasMessageContaining("format version 2 is not supported");
    }
}
