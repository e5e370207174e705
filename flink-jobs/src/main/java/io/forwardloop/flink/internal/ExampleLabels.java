package io.forwardloop.flink.internal;

import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.LabeledExample;
import java.util.List;

/**
 * Turns an inference record and its feedback into a labeled example.
 *
 * <p>ACCEPT confirms the predicted label. LABEL gives the true label. REJECT names a known
 * negative: the feedback's label, or the predicted label when the feedback names none; with exactly
 * two labels the other one is taken as the true label, with more the true label stays unknown.
 */
public final class ExampleLabels {
    private ExampleLabels() {}

    /** Why feedback cannot label its record. */
    public enum Refusal {
        /** The feedback names a label outside the record's label set. */
        UNKNOWN_LABEL,
        /** The feedback is of a kind that carries no label. */
        INVALID
    }

    /**
     * The example, or why the feedback cannot label the record.
     *
     * @param example the labeled example; null when refused
     * @param refusal the kind of refusal; null when labeled
     * @param reason the refusal in words; null when labeled
     */
    public record Outcome(LabeledExample example, Refusal refusal, String reason) {}

    /** Labels {@code record} with {@code feedback}. */
    public static Outcome label(InferenceRecord record, Feedback feedback) {
        List<String> labels = record.getLabels();
        return switch (feedback.getKind()) {
            case ACCEPT -> known(record, feedback, record.getPredictedLabel(), null);
            case LABEL -> corrected(record, feedback, labels);
            case REJECT -> rejected(record, feedback, labels);
            default ->
                    refuse(
                            Refusal.INVALID,
                            "feedback kind " + feedback.getKind() + " carries no label");
        };
    }

    private static Outcome corrected(
            InferenceRecord record, Feedback feedback, List<String> labels) {
        String label = feedback.getLabel();
        if (label == null || !labels.contains(label)) {
            return refuse(Refusal.UNKNOWN_LABEL, unknownLabel(label, labels));
        }
        return known(record, feedback, label, null);
    }

    private static Outcome rejected(
            InferenceRecord record, Feedback feedback, List<String> labels) {
        String rejected =
                feedback.getLabel() != null ? feedback.getLabel() : record.getPredictedLabel();
        if (!labels.contains(rejected)) {
            return refuse(Refusal.UNKNOWN_LABEL, unknownLabel(rejected, labels));
        }
        String other = null;
        if (labels.size() == 2) {
            other = labels.get(0).equals(rejected) ? labels.get(1) : labels.get(0);
        }
        return known(record, feedback, other, rejected);
    }

    private static Outcome known(
            InferenceRecord record, Feedback feedback, String label, String rejected) {
        LabeledExample example =
                LabeledExample.newBuilder()
                        .setRequestId(record.getRequestId())
                        .setAdapterName(record.getAdapterName())
                        .setAdapterKind(record.getAdapterKind())
                        .setEncoderId(record.getEncoderId())
                        .setBoundary(record.getBoundary())
                        .setActivation(record.getActivation())
                        .setLabel(label)
                        .setRejectedLabel(rejected)
                        .setPredictedLabel(record.getPredictedLabel())
                        .setLabels(record.getLabels())
                        .setFeedbackKind(feedback.getKind())
                        .setInferenceTimestampMs(record.getTimestampMs())
                        .setFeedbackTimestampMs(feedback.getTimestampMs())
                        .build();
        return new Outcome(example, null, null);
    }

    private static String unknownLabel(String label, List<String> labels) {
        return "feedback label " + label + " is not one of the adapter's labels " + labels;
    }

    private static Outcome refuse(Refusal refusal, String reason) {
        return new Outcome(null, refusal, reason);
    }
}
