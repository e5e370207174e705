package io.forwardloop.ingest.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every encoder must do, run against the real model in ONNX Runtime; one encoder instance per
 * test class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EncoderContract {
    static final String GOLDEN_SENTENCE = "ForwardLoop recycles the forward pass.";

    private static final List<String> SENTENCES =
            List.of(
                    "The food was delicious",
                    "The meal tasted great",
                    "The train leaves at noon",
                    "A much longer sentence, so that the batch has to pad the shorter ones"
                            + " with several padding tokens before the model sees them.");

    Encoder encoder;

    /** The encoder under test. */
    abstract EncoderId id();

    /**
     * The first values of the embedding of {@link #GOLDEN_SENTENCE}. Computed once, independently
     * of this code, by {@code src/test/js/reference-embeddings.mjs}: the tokenizer.json through
     * tokenizers.js, the model through onnxruntime-node 1.23.2, pooling and normalisation by hand.
     */
    abstract float[] goldenPrefix();

    @BeforeAll
    void loadEncoder() {
        encoder = Encoders.create(id());
    }

    @AfterAll
    void closeEncoder() {
        encoder.close();
    }

    @Test
    void shouldReturnOneUnitVectorOfTheEncodersDimensionPerText() {
        float[][] embeddings = encoder.embed(SENTENCES);

        assertThat(encoder.dimension()).isEqualTo(384);
        assertThat(encoder.id()).isEqualTo(id());
        assertThat(embeddings).hasNumberOfRows(SENTENCES.size());
        for (float[] embedding : embeddings) {
            assertThat(embedding).hasSize(384);
            assertThat(norm(embedding)).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void shouldEmbedABatchAsItEmbedsEachTextAlone() {
        float[][] batched = encoder.embed(SENTENCES);

        for (int i = 0; i < SENTENCES.size(); i++) {
            float[] alone = encoder.embed(List.of(SENTENCES.get(i)))[0];
            assertThat(batched[i]).containsExactly(alone, within(1e-5f));
        }
    }

    @Test
    void shouldTruncateTextsLongerThanTheMaxSequenceLength() {
        String prefix = "word ".repeat(encoder.maxSequenceLength() + 10);

        float[][] embeddings =
                encoder.embed(List.of(prefix + "apples and pears", prefix + "a rocket launch"));

        assertThat(embeddings[0]).containsExactly(embeddings[1], within(0f));
        assertThat(norm(embeddings[0])).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void shouldPlaceParaphrasesCloserThanUnrelatedSentences() {
        float[][] e = encoder.embed(SENTENCES.subList(0, 3));

        assertThat(dot(e[0], e[1])).isGreaterThan(dot(e[0], e[2]));
    }

    @Test
    void shouldReturnTheSameEmbeddingOnEveryCall() {
        float[][] first = encoder.embed(SENTENCES);
        float[][] second = encoder.embed(SENTENCES);

        for (int i = 0; i < first.length; i++) {
            assertThat(second[i]).containsExactly(first[i]);
        }
    }

    @Test
    void shouldMatchTheFrozenGoldenValues() {
        float[] embedding = encoder.embed(List.of(GOLDEN_SENTENCE))[0];
        float[] golden = goldenPrefix();

        assertThat(Arrays.copyOf(embedding, golden.length)).containsExactly(golden, within(1e-4f));
    }

    @Test
    void shouldRejectAnEmptyTextNamingItsIndex() {
        List<String> texts = new ArrayList<>(List.of("fine", "also fine", ""));

        assertThatThrownBy(() -> encoder.embed(texts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 2")
                .hasMessageContaining("empty or blank");
        texts.set(2, null);
        assertThatThrownBy(() -> encoder.embed(texts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 2 is null");
    }

    @Test
    void shouldReturnNothingForNoTexts() {
        assertThat(encoder.embed(List.of())).isEmpty();
    }

    static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
