package io.forwardloop.ingest.streams.internal;

import io.forwardloop.ingest.encoder.EncoderId;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.InferenceRecord;
import java.util.List;

/** The checks a raw record passes before it reaches the validated topics; null means valid. */
public final class Validation {
    private final List<String> adapters;
    private final int textMaxChars;

    /**
     * Why a record is refused.
     *
     * @param reason a short code from a fixed set, the {@code reason} tag of the dead-letter
     *     counter
     * @param message what is wrong, naming the field and its value, as the dead letter carries it
     */
    public record Rejection(String reason, String message) {}

    public Validation(List<String> adapters, int textMaxChars) {
        this.adapters = List.copyOf(adapters);
        this.textMaxChars = textMaxChars;
    }

    /** Why {@code r} is refused, or null if it is valid. */
    public Rejection inference(InferenceRecord r) {
        if (r.getRequestId() == null || r.getRequestId().isBlank()) {
            return new Rejection("empty_id", "request_id is empty");
        }
        if (!adapters.isEmpty() && !adapters.contains(r.getAdapterName())) {
            return new Rejection(
                    "unknown_adapter",
                    "adapter '" + r.getAdapterName() + "' is not one of " + adapters);
        }
        Rejection activation = activation(r);
        if (activation != null) {
            return activation;
        }
        Rejection scores = scores(r);
        if (scores != null) {
            return scores;
        }
        if (r.getText() != null && r.getText().length() > textMaxChars) {
            return new Rejection(
                    "text_too_long",
                    "text has " + r.getText().length() + " characters, over " + textMaxChars);
        }
        return null;
    }

    /** Why {@code f} is refused, or null if it is valid. */
    public static Rejection feedback(Feedback f) {
        if (f.getFeedbackId() == null || f.getFeedbackId().isBlank()) {
            return new Rejection("empty_id", "feedback_id is empty");
        }
        if (f.getRequestId() == null || f.getRequestId().isBlank()) {
            return new Rejection("empty_id", "request_id is empty");
        }
        if (f.getKind() == null || f.getKind() == FeedbackKind.UNKNOWN) {
            return new Rejection(
                    "unknown_feedback_kind",
                    "feedback kind is unknown; expected LABEL, ACCEPT or REJECT");
        }
        if (f.getKind() == FeedbackKind.LABEL && (f.getLabel() == null || f.getLabel().isBlank())) {
            return new Rejection("missing_label", "LABEL feedback has no label");
        }
        return null;
    }

    private static Rejection activation(InferenceRecord r) {
        EncoderId encoder;
        try {
            encoder = EncoderId.parse(r.getEncoderId());
        } catch (IllegalArgumentException e) {
            return new Rejection(
                    "unknown_encoder",
                    "encoder '"
                            + r.getEncoderId()
                            + "' is unknown; known: "
                            + EncoderId.acceptedIds());
        }
        List<Float> activation = r.getActivation();
        if (activation.size() != encoder.dimension()) {
            return new Rejection(
                    "activation_width",
                    "activation has "
                            + activation.size()
                            + " values but encoder "
                            + encoder.id()
                            + " produces "
                            + encoder.dimension());
        }
        return nonFinite("activation", activation);
    }

    private static Rejection scores(InferenceRecord r) {
        if (r.getLabels().isEmpty() || r.getLabels().size() != r.getScores().size()) {
            return new Rejection(
                    "labels_scores",
                    "labels "
                            + r.getLabels().size()
                            + " and scores "
                            + r.getScores().size()
                            + " must be equal and non-zero in number");
        }
        if (!r.getLabels().contains(r.getPredictedLabel())) {
            return new Rejection(
                    "predicted_label",
                    "predicted label '" + r.getPredictedLabel() + "' is not in " + r.getLabels());
        }
        return nonFinite("scores", r.getScores());
    }

    private static Rejection nonFinite(String field, List<Float> values) {
        for (int i = 0; i < values.size(); i++) {
            Float v = values.get(i);
            if (v == null || !Float.isFinite(v)) {
                return new Rejection(
                        "non_finite", field + "[" + i + "] is " + v + ", not a finite number");
            }
        }
        return null;
    }
}
