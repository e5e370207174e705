package io.forwardloop.ingest.gateway.internal;

import io.forwardloop.ingest.gateway.GatewayConfig.Redaction;
import io.forwardloop.ingest.gateway.Prediction;
import io.forwardloop.schemas.avro.AdapterKind;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.InferenceRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/** Builds the records the gateway logs from what it served and what users said. */
public final class Records {
    /** Where the logged activation is taken: the pooled sentence embedding. */
    public static final String BOUNDARY = "pooled";

    private final String encoderId;
    private final String gatewayId;
    private final Redaction redaction;

    public Records(String encoderId, String gatewayId, Redaction redaction) {
        this.encoderId = encoderId;
        this.gatewayId = gatewayId;
        this.redaction = redaction;
    }

    /** The inference record of one prediction. */
    public InferenceRecord inference(Prediction p) {
        return InferenceRecord.newBuilder()
                .setRequestId(p.requestId())
                .setAdapterName(p.adapter().name())
                .setAdapterVersion(p.adapter().version())
                .setAdapterKind(AdapterKind.valueOf(p.adapter().kind().name()))
                .setEncoderId(encoderId)
                .setBoundary(BOUNDARY)
                .setTimestampMs(Instant.ofEpochMilli(p.servedAtMs()))
                .setActivation(floats(p.activation()))
                .setPredictedLabel(p.label())
                .setLabels(p.adapter().labels())
                .setScores(floats(p.scores()))
                .setText(redaction == Redaction.NONE ? p.text() : null)
                .setTextSha256(sha256(p.text()))
                .setRedaction(
                        redaction == Redaction.NONE
                                ? io.forwardloop.schemas.avro.Redaction.NONE
                                : io.forwardloop.schemas.avro.Redaction.HASH_ONLY)
                .setGatewayId(gatewayId)
                .build();
    }

    /** The feedback record; its id is derived from its content, so a repeat has the same id. */
    public static Feedback feedback(String requestId, FeedbackKind kind, String label, long nowMs) {
        return Feedback.newBuilder()
                .setFeedbackId(feedbackId(requestId, kind, label))
                .setRequestId(requestId)
                .setKind(kind)
                .setLabel(label)
                .setTimestampMs(Instant.ofEpochMilli(nowMs))
                .setSource("api")
                .build();
    }

    /** The id of a feedback: the same for the same request, kind and label. */
    public static String feedbackId(String requestId, FeedbackKind kind, String label) {
        String content = requestId + "\n" + kind + "\n" + (label == null ? "" : label);
        return UUID.nameUUIDFromBytes(content.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Lower-case hex SHA-256 of the UTF-8 text. */
    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static List<Float> floats(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float value : values) {
            list.add(value);
        }
        return list;
    }
}
