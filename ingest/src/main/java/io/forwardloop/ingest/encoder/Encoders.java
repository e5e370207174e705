package io.forwardloop.ingest.encoder;

import io.forwardloop.ingest.encoder.internal.OnnxEncoder;
import java.util.Map;

/** Creates {@link Encoder}s backed by ONNX Runtime and the HuggingFace tokenizer. */
public final class Encoders {
    private Encoders() {}

    /** Loads the configured encoder: reads its model and tokenizer and opens one ORT session. */
    public static Encoder create(EncoderConfig config) {
        return OnnxEncoder.load(
                config.encoderId(), config.maxSequenceLength(), config.intraOpThreads());
    }

    /** Loads {@code id} with its default maximum sequence length and one intra-op thread. */
    public static Encoder create(EncoderId id) {
        return create(new EncoderConfig(Map.of(EncoderConfig.ENCODER_ID, id.id())));
    }
}
