package io.forwardloop.ingest.encoder;

/** How an encoder turns its per-token hidden states into one sentence embedding. */
public enum Pooling {
    /** The hidden state of the first token ({@code [CLS]}). */
    CLS,
    /** The mean of the hidden states of the tokens the attention mask keeps. */
    MEAN
}
