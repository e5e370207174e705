package io.forwardloop.ingest.encoder;

class MiniLmQEncoderTest extends EncoderContract {

    @Override
    EncoderId id() {
        return EncoderId.MINILM_Q;
    }

    @Override
    float[] goldenPrefix() {
        return new float[] {
            -0.0058802168f,
            0.017709656f,
            -0.017753991f,
            0.028621376f,
            -0.061035284f,
            0.026894768f,
            0.013575724f,
            -0.014063147f
        };
    }
}
