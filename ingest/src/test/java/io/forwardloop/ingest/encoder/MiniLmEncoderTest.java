package io.forwardloop.ingest.encoder;

class MiniLmEncoderTest extends EncoderContract {

    @Override
    EncoderId id() {
        return EncoderId.MINILM;
    }

    @Override
    float[] goldenPrefix() {
        return new float[] {
            -0.0040301948f,
            0.023064591f,
            -0.025408781f,
            0.026401587f,
            -0.074015500f,
            0.018930628f,
            0.023683092f,
            -0.0099386005f
        };
    }
}
