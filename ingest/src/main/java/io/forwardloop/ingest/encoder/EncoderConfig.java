package io.forwardloop.ingest.encoder;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the frozen backbone encoder: which model, how many tokens per text, how many threads
 * one forward pass may use.
 *
 * <p>Unknown keys are ignored, so the gateway's whole configuration can be passed in.
 */
public class EncoderConfig extends AbstractConfig {

    public static final String ENCODER_ID = "encoder.id";
    public static final String MAX_SEQUENCE_LENGTH = "encoder.max.sequence.length";
    public static final String INTRA_OP_THREADS = "encoder.intra.op.threads";

    /** The fewest tokens a text may be cut to: the two special tokens and one word piece. */
    public static final int MIN_SEQUENCE_LENGTH = 3;

    private static final ConfigDef CONFIG = define(new ConfigDef());

    public EncoderConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
    }

    /** Adds this class's keys to {@code def} and returns it, for configs that extend this one. */
    public static ConfigDef define(ConfigDef def) {
        return def.define(
                        ENCODER_ID,
                        Type.STRING,
                        EncoderId.BGE_SMALL_Q.id(),
                        ConfigDef.LambdaValidator.with(
                                EncoderConfig::validateEncoderId, EncoderId::acceptedIds),
                        Importance.HIGH,
                        "The frozen backbone encoder: one of " + EncoderId.acceptedIds() + ".")
                .define(
                        MAX_SEQUENCE_LENGTH,
                        Type.INT,
                        null,
                        ConfigDef.LambdaValidator.with(
                                EncoderConfig::validateMaxSequenceLength,
                                () ->
                                        "null or ["
                                                + MIN_SEQUENCE_LENGTH
                                                + ",...,"
                                                + EncoderId.MAX_POSITIONS
                                                + "]"),
                        Importance.MEDIUM,
                        "Tokens per text, special tokens included, beyond which a text is"
                                + " truncated; unset takes the encoder's default (512 for"
                                + " bge-small-q, 256 for minilm and minilm-q).")
                .define(
                        INTRA_OP_THREADS,
                        Type.INT,
                        1,
                        ConfigDef.Range.atLeast(1),
                        Importance.MEDIUM,
                        "Threads ONNX Runtime may use inside one forward pass; spinning is off,"
                                + " so idle threads do not burn a core.");
    }

    /** The definition of this config's keys, for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** The configured encoder. */
    public EncoderId encoderId() {
        return EncoderId.parse(getString(ENCODER_ID));
    }

    /** The configured maximum sequence length, or the encoder's default if none is set. */
    public int maxSequenceLength() {
        Integer configured = getInt(MAX_SEQUENCE_LENGTH);
        return configured == null ? encoderId().defaultMaxSequenceLength() : configured;
    }

    /** Threads ONNX Runtime may use inside one forward pass. */
    public int intraOpThreads() {
        return getInt(INTRA_OP_THREADS);
    }

    private static void validateEncoderId(String name, Object value) {
        try {
            EncoderId.parse((String) value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    private static void validateMaxSequenceLength(String name, Object value) {
        if (value == null) {
            return;
        }
        int length = (Integer) value;
        if (length < MIN_SEQUENCE_LENGTH || length > EncoderId.MAX_POSITIONS) {
            throw new ConfigException(
                    name,
                    value,
                    "must be between "
                            + MIN_SEQUENCE_LENGTH
                            + " and "
                            + EncoderId.MAX_POSITIONS
                            + " tokens, or unset for the encoder's default");
        }
    }
}
