package io.forwardloop.ingest.encoder.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.encoder.EncoderException;
import io.forwardloop.ingest.encoder.EncoderId;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An {@link Encoder} running the model in one ONNX Runtime session. */
public final class OnnxEncoder implements Encoder {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxEncoder.class);

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String HIDDEN_STATES = "last_hidden_state";

    private final EncoderId id;
    private final int maxSequenceLength;
    private final HuggingFaceTokenizer tokenizer;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Set<String> inputNames;
    private final String outputName;

    private OnnxEncoder(
            EncoderId id,
            int maxSequenceLength,
            HuggingFaceTokenizer tokenizer,
            OrtEnvironment environment,
            OrtSession session)
            throws OrtException {
        this.id = id;
        this.maxSequenceLength = maxSequenceLength;
        this.tokenizer = tokenizer;
        this.environment = environment;
        this.session = session;
        this.inputNames = session.getInputNames();
        this.outputName = hiddenStatesOutput(id, session);
        requireInput(INPUT_IDS);
        requireInput(ATTENTION_MASK);
    }

    /** Loads {@code id}'s tokenizer and model and opens its session. */
    public static OnnxEncoder load(EncoderId id, int maxSequenceLength, int intraOpThreads) {
        long start = System.nanoTime();
        HuggingFaceTokenizer tokenizer = ModelFiles.tokenizer(id, maxSequenceLength);
        OrtSession session = null;
        try {
            OrtEnvironment environment = environment();
            session = openSession(environment, id, intraOpThreads);
            OnnxEncoder encoder =
                    new OnnxEncoder(id, maxSequenceLength, tokenizer, environment, session);
            LOG.info(
                    "Loaded encoder {} ({} dimensions, {} pooling, inputs {}, at most {} tokens,"
                            + " {} intra-op threads) in {} ms",
                    id,
                    id.dimension(),
                    id.pooling(),
                    encoder.inputNames,
                    maxSequenceLength,
                    intraOpThreads,
                    (System.nanoTime() - start) / 1_000_000);
            return encoder;
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            tokenizer.close();
            throw e instanceof EncoderException ee
                    ? ee
                    : new EncoderException("cannot load encoder " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public float[][] embed(List<String> texts) {
        requireText(texts);
        if (texts.isEmpty()) {
            return new float[0][];
        }
        try {
            return id.quantized() ? embedOneByOne(texts) : run(tokenize(texts));
        } catch (OrtException e) {
            throw new EncoderException(
                    "encoder " + id + " failed on a batch of " + texts.size() + " texts", e);
        }
    }

    @Override
    public int dimension() {
        return id.dimension();
    }

    @Override
    public EncoderId id() {
        return id;
    }

    @Override
    public int maxSequenceLength() {
        return maxSequenceLength;
    }

    @Override
    public void close() {
        closeQuietly(session);
        tokenizer.close();
    }

    private float[][] embedOneByOne(List<String> texts) throws OrtException {
        float[][] embeddings = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            embeddings[i] = run(tokenize(List.of(texts.get(i))))[0];
        }
        return embeddings;
    }

    TokenBatch tokenize(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int length = encodings[0].getIds().length;
        long[] ids = new long[texts.size() * length];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int b = 0; b < encodings.length; b++) {
            copyRow(encodings[b].getIds(), ids, b, length);
            copyRow(encodings[b].getAttentionMask(), mask, b, length);
            copyRow(encodings[b].getTypeIds(), types, b, length);
        }
        return new TokenBatch(texts.size(), length, ids, mask, types);
    }

    private float[][] run(TokenBatch batch) throws OrtException {
        try (OnnxTensor ids = tensor(batch.inputIds(), batch);
                OnnxTensor mask = tensor(batch.attentionMask(), batch);
                OnnxTensor types = tensor(batch.typeIds(), batch)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(INPUT_IDS, ids);
            inputs.put(ATTENTION_MASK, mask);
            if (inputNames.contains(TOKEN_TYPE_IDS)) {
                inputs.put(TOKEN_TYPE_IDS, types);
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
                FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                return Pooler.pool(hidden, batch, id.dimension(), id.pooling());
            }
        }
    }

    private OnnxTensor tensor(long[] values, TokenBatch batch) throws OrtException {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(values), batch.shape());
    }

    private void requireInput(String name) {
        if (!inputNames.contains(name)) {
            throw new EncoderException(
                    "model of encoder " + id + " has no input " + name + "; it has " + inputNames);
        }
    }

    private static void requireText(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException(
                        "text at index "
                                + i
                                + " is "
                                + (text == null ? "null" : "empty or blank")
                                + "; the encoder needs at least one non-space character per text");
            }
        }
    }

    private static void copyRow(long[] row, long[] into, int b, int length) {
        if (row.length != length) {
            throw new EncoderException(
                    "tokenizer padded texts to different lengths: "
                            + row.length
                            + " and "
                            + length);
        }
        System.arraycopy(row, 0, into, b * length, length);
    }

    private static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(
                OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "forwardloop-encoder");
    }

    private static OrtSession openSession(OrtEnvironment env, EncoderId id, int threads)
            throws OrtException {
        try (SessionOptions options = new SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            return env.createSession(ModelFiles.model(id), options);
        }
    }

    private static String hiddenStatesOutput(EncoderId id, OrtSession session) throws OrtException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (outputs.containsKey(HIDDEN_STATES)) {
            return HIDDEN_STATES;
        }
        return outputs.values().stream()
                .filter(info -> info.getInfo() instanceof TensorInfo t && t.getShape().length == 3)
                .map(NodeInfo::getName)
                .findFirst()
                .orElseThrow(
                        () ->
                                new EncoderException(
                                        "model of encoder "
                                                + id
                                                + " has no [batch, tokens, hidden] output; it has "
                                                + outputs.keySet()));
    }

    private static void closeQuietly(OrtSession session) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("Could not close an encoder session: {}", e.getMessage());
        }
    }
}
