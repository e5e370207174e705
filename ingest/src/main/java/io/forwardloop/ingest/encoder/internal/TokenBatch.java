package io.forwardloop.ingest.encoder.internal;

/**
 * A tokenized batch padded to one length: row-major {@code size x length} token ids, attention mask
 * (1 for a real token, 0 for padding) and token type ids.
 */
record TokenBatch(int size, int length, long[] inputIds, long[] attentionMask, long[] typeIds) {

    /** The {@code [size, length]} shape of each of the three tensors. */
    long[] shape() {
        return new long[] {size, length};
    }

    /** Whether token {@code t} of text {@code b} is a real token rather than padding. */
    boolean isToken(int b, int t) {
        return attentionMask[b * length + t] != 0;
    }
}
