package io.forwardloop.ingest.encoder;

class BgeSmallQEncoderTest extends EncoderContract {

    @Override
    EncoderId id() {
        return EncoderId.BGE_SMALL_Q;
    }

    @Override
    float[] goldenPrefix() {
        return new float[] {
            -0.043725150f,
            -0.046150822f,
            0.026941095f,
            -0.0037285653f,
            -0.031891397f,
            0.0054600399f,
            0.044903059f,
            0.052700250f
        };
    }
}
