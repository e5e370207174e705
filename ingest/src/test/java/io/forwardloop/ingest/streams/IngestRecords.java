package io.forwardloop.ingest.streams;

import io.forwardloop.schemas.avro.AdapterKind;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.Redaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Valid raw records for the ingest tests, to be broken one field at a time. */
public final class IngestRecords {
    private IngestRecords() {}

    /** A valid inference record of adapter {@code sentiment}, 384 wide, with its text. */
    public static InferenceRecord.Builder inference(String requestId) {
        return InferenceRecord.newBuilder()
                .setRequestId(requestId)
                .setAdapterName("sentiment")
                .setAdapterVersion(1)
                .setAdapterKind(AdapterKind.LOW_RANK_CLASSIFIER)
                .setEncoderId("bge-small-q")
                .setBoundary("pooled")
                .setTimestampMs(Instant.ofEpochMilli(1_000))
                .setActivation(new ArrayList<>(Collections.nCopies(384, 0.05f)))
                .setPredictedLabel("positive")
                .setLabels(List.of("negative", "positive"))
                .setScores(List.of(0.25f, 0.75f))
                .setText("good")
                .setTextSha256("0".repeat(64))
                .setRedaction(Redaction.NONE)
                .setGatewayId("g1");
    }

    /**
     * A valid inference record as a gateway logs it with text redaction on: hash only, stamped now,
     * from gateway {@code it}.
     */
    public static InferenceRecord logged(String requestId) {
        return inference(requestId)
                .setEncoderId("minilm-q")
                .setTimestampMs(Instant.now())
                .setText(null)
                .setRedaction(Redaction.HASH_ONLY)
                .setGatewayId("it")
                .build();
    }

    /** A valid LABEL feedback for {@code requestId}. */
    public static Feedback.Builder feedback(String feedbackId, String requestId) {
        return Feedback.newBuilder()
                .setFeedbackId(feedbackId)
                .setRequestId(requestId)
                .setKind(FeedbackKind.LABEL)
                .setLabel("negative")
                .setTimestampMs(Instant.ofEpochMilli(2_000))
                .setSource("api");
    }
}
