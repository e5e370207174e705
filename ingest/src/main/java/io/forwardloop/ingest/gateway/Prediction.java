package io.forwardloop.ingest.gateway;

import io.forwardloop.ingest.adapters.ServedAdapter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One text's answer: the label, the score per label, and what produced it.
 *
 * @param requestId the id feedback refers to
 * @param text the input text
 * @param adapter the adapter version that answered
 * @param activation the encoder's pooled activation, the adapter's input
 * @param scores one score per label of the adapter, in label order: probabilities for a low-rank
 *     classifier, total goodness for a Forward-Forward adapter
 * @param label the label with the highest score
 * @param servedAtMs when the answer was computed, milliseconds since the epoch
 */
public record Prediction(
        String requestId,
        String text,
        ServedAdapter adapter,
        float[] activation,
        float[] scores,
        String label,
        long servedAtMs) {

    /** The scores keyed by label, in label order. */
    public Map<String, Float> scoresByLabel() {
        Map<String, Float> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < scores.length; i++) {
            byLabel.put(adapter.labels().get(i), scores[i]);
        }
        return byLabel;
    }
}
