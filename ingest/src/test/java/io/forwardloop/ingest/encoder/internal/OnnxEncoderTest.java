package io.forwardloop.ingest.encoder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.ingest.encoder.EncoderId;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** How the encoder tokenizes, whatever the tokenizer file says about truncation and padding. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxEncoderTest {
    private static final int MAX_LENGTH = 16;

    private OnnxEncoder minilm;
    private OnnxEncoder bge;

    @BeforeAll
    void load() {
        minilm = OnnxEncoder.load(EncoderId.MINILM_Q, MAX_LENGTH, 1);
        bge = OnnxEncoder.load(EncoderId.BGE_SMALL_Q, MAX_LENGTH, 1);
    }

    @AfterAll
    void close() {
        minilm.close();
        bge.close();
    }

    @Test
    void shouldPadABatchToItsLongestTextNotToTheTokenizerFilesFixedLength() {
        TokenBatch batch = minilm.tokenize(List.of("hello", "hello world again"));

        assertThat(batch.length()).isEqualTo(5);
        assertThat(batch.attentionMask()).containsExactly(1, 1, 1, 0, 0, 1, 1, 1, 1, 1);
        assertThat(batch.inputIds()[0]).isEqualTo(101);
        assertThat(batch.inputIds()[2]).isEqualTo(102);
    }

    @Test
    void shouldTruncateToTheMaxSequenceLengthKeepingTheSeparator() {
        String longText = "word ".repeat(100);

        for (OnnxEncoder encoder : List.of(minilm, bge)) {
            TokenBatch batch = encoder.tokenize(List.of(longText));

            assertThat(batch.length()).isEqualTo(MAX_LENGTH);
            assertThat(batch.inputIds()[MAX_LENGTH - 1]).isEqualTo(102);
        }
    }

    @Test
    void shouldReportTheConfiguredMaxSequenceLength() {
        assertThat(bge.maxSequenceLength()).isEqualTo(MAX_LENGTH);
        assertThat(bge.embed(List.of("word ".repeat(100)))[0]).hasSize(384);
    }
}
