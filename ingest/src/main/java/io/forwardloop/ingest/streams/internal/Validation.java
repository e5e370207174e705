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

    public Validation(List<String> adapters, int textMaxChars) {
        this.adapters = List.copyOf(adapters);
        this.textMaxChars = textMaxChars;
    }

    /** Why {@code r} is refused, or null if it is valid. */
    public String inference(InferenceRecord r) {
        if (r.getRequestId() == null || r.getRequestId().isBlank()) {
            return "request_id is empty";
        }
        if (!adapters.isEmpty() && !adapters.contains(r.getAdapterName())) {
            return "adapter '" + r.getAdapterName() + "' is not one of " + adapters;
        }
        String activation = activation(r);
        if (activation != null) {
            return activation;
        }
        String scores = scores(r);
        if (scores != null) {
            return scores;
        }
        if (r.getText() != null && r.getText().length() > textMaxChars) {
            return "text has " + r.getText().length() + " characters, over " + textMaxChars;
        }
        return null;
    }

    /** Why {@code f} is refused, or null if it is valid. */
    public static String feedback(Feedback f) {
        if (f.getFeedbackId() == null || f.getFeedbackId().isBlank()) {
            return "feedback_id is empty";
        }
        if (f.getRequestId() == null || f.getRequestId().isBlank()) {
            return "request_id is empty";
        }
        if (f.getKind() == null || f.getKind() == FeedbackKind.UNKNOWN) {
            return "feedback kind is unknown; expected LABEL, ACCEPT or REJECT";
        }
        if (f.getKind() == FeedbackKind.LABEL && (f.getLabel() == null || f.getLabel().isBlank())) {
            return "LABEL feedback has no label";
        }
        return null;
    }

    private static String activation(InferenceRecord r) {
        EncoderId encoder;
        try {
            encoder = EncoderId.parse(r.getEncoderId());
        } catch (IllegalArgumentException e) {
            return "encoder '"
                    + r.getEncoderId()
                    + "' is unknown; known: "
                    + EncoderId.acceptedIds();
        }
        List<Float> activation = r.getActivation();
        if (activation.size() != encoder.dimension()) {
            return "activation has "
                    + activation.size()
                    + " values but encoder "
                    + encoder.id()
                    + " produces "
                    + encoder.dimension();
        }
        return nonFinite("activation", activation);
    }

    private static String scores(InferenceRecord r) {
        if (r.getLabels().isEmpty() || r.getLabels().size() != r.getScores().size()) {
            return "labels "
                    + r.getLabels().size()
                    + " and scores "
                    + r.getScores().size()
                    + " must be equal and non-zero in number";
        }
        if (!r.getLabels().contains(r.getPredictedLabel())) {
            return "predicted label '" + r.getPredictedLabel() + "' is not in " + r.getLabels();
        }
        return nonFinite("scores", r.getScores());
    }

    private static String nonFinite(String field, List<Float> values) {
        for (int i = 0; i < values.size(); i++) {
            Float v = values.get(i);
            if (v == null || !Float.isFinite(v)) {
                return field + "[" + i + "] is " + v + ", not a finite number";
            }
        }
        return null;
    }
}
