package io.forwardloop.ingest.encoder;

import java.util.List;

/**
 * A frozen sentence encoder: the backbone in front of the trainable adapter.
 *
 * <p>{@link #embed} returns one L2-normalised vector of {@link #dimension()} floats per text, in
 * input order, and a text's embedding does not depend on the other texts of the batch (see {@link
 * EncoderId#quantized()}). Texts longer than the configured maximum sequence length are truncated,
 * not rejected. A text that is null, empty or only whitespace is rejected with an {@link
 * IllegalArgumentException} naming its index, before any text of the batch is encoded. Calls may
 * come from several threads at once; {@link #close()} must not overlap with them.
 */
public interface Encoder extends AutoCloseable {

    /**
     * Embeds a batch of texts: in one forward pass, or one pass per text for quantized models.
     *
     * @return {@code texts.size()} unit vectors; an empty array for an empty list
     * @throws IllegalArgumentException if a text is null, empty or blank
     * @throws EncoderException if the model fails to run
     */
    float[][] embed(List<String> texts);

    /** The length of each embedding. */
    int dimension();

    /** Which encoder this is. */
    EncoderId id();

    /** The tokens per text, special tokens included, beyond which input is truncated. */
    int maxSequenceLength();

    /** Releases the model session and the tokenizer. */
    @Override
    void close();
}
