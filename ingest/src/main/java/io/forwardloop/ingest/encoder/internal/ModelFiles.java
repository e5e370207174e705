package io.forwardloop.ingest.encoder.internal;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.forwardloop.ingest.encoder.EncoderException;
import io.forwardloop.ingest.encoder.EncoderId;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Reads an encoder's model and tokenizer from the classpath resources of its model jar. */
final class ModelFiles {
    private static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";

    private ModelFiles() {}

    /** The bytes of the encoder's ONNX model. */
    static byte[] model(EncoderId id) {
        try (InputStream in = open(id, id.modelResource())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new EncoderException("cannot read model " + id.modelResource(), e);
        }
    }

    /**
     * A tokenizer that truncates to {@code maxSequenceLength} tokens and pads each batch to its
     * longest text, whatever the tokenizer file itself says about truncation and padding.
     */
    static HuggingFaceTokenizer tokenizer(EncoderId id, int maxSequenceLength) {
        optOutOfTelemetry();
        Map<String, String> options =
                Map.of(
                        "truncation", "true",
                        "padding", "true",
                        "maxLength", Integer.toString(maxSequenceLength));
        try (InputStream in = open(id, id.tokenizerResource())) {
            return HuggingFaceTokenizer.newInstance(in, options);
        } catch (IOException e) {
            throw new EncoderException("cannot read tokenizer " + id.tokenizerResource(), e);
        }
    }

    /**
     * Stops DJL from probing cloud metadata endpoints and reporting usage when a tokenizer loads,
     * unless the operator set {@value #OPT_OUT_TRACKING} either way.
     */
    private static void optOutOfTelemetry() {
        if (System.getenv(OPT_OUT_TRACKING) == null
                && System.getProperty(OPT_OUT_TRACKING) == null) {
            System.setProperty(OPT_OUT_TRACKING, "true");
        }
    }

    private static InputStream open(EncoderId id, String resource) {
        InputStream in = ModelFiles.class.getResourceAsStream(resource);
        if (in == null) {
            throw new EncoderException(
                    "resource "
                            + resource
                            + " of encoder "
                            + id
                            + " is not on the classpath; add dev.langchain4j:"
                            + id.artifact()
                            + " to the dependencies");
        }
        return in;
    }
}
