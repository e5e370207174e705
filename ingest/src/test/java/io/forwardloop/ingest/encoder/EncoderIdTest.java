package io.forwardloop.ingest.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EncoderIdTest {

    @Test
    void shouldParseIdsAndModelNamesIgnoringCaseAndSpace() {
        assertThat(EncoderId.parse("bge-small-q")).isEqualTo(EncoderId.BGE_SMALL_Q);
        assertThat(EncoderId.parse(" MiniLM ")).isEqualTo(EncoderId.MINILM);
        assertThat(EncoderId.parse("all-minilm-l6-v2-q")).isEqualTo(EncoderId.MINILM_Q);
        assertThat(EncoderId.parse("bge-small-en-v1.5-q")).isEqualTo(EncoderId.BGE_SMALL_Q);
    }

    @Test
    void shouldRejectUnknownIdListingTheAcceptedOnes() {
        assertThatThrownBy(() -> EncoderId.parse("bert-large"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bert-large'")
                .hasMessageContaining("bge-small-q, minilm, minilm-q");
    }

    @Test
    void shouldRejectNullId() {
        assertThatThrownBy(() -> EncoderId.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use one of");
    }

    @ParameterizedTest
    @EnumSource(EncoderId.class)
    void shouldFindModelAndTokenizerOnTheClasspath(EncoderId id) {
        assertThat(EncoderId.class.getResource(id.modelResource())).isNotNull();
        assertThat(EncoderId.class.getResource(id.tokenizerResource())).isNotNull();
    }

    @Test
    void shouldDescribeEachEncoder() {
        assertThat(EncoderId.BGE_SMALL_Q.pooling()).isEqualTo(Pooling.CLS);
        assertThat(EncoderId.MINILM.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(EncoderId.MINILM.quantized()).isFalse();
        assertThat(EncoderId.MINILM_Q.quantized()).isTrue();
        assertThat(EncoderId.BGE_SMALL_Q.modelResource()).isEqualTo("/bge-small-en-v1.5-q.onnx");
        assertThat(EncoderId.MINILM_Q.tokenizerResource())
                .isEqualTo("/all-minilm-l6-v2-q-tokenizer.json");
        assertThat(EncoderId.MINILM).hasToString("minilm");
    }
}
