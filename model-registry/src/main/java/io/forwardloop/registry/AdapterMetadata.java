package io.forwardloop.registry;

import java.util.List;
import java.util.Map;

/**
 * What a publisher says about an adapter artifact: its kind, the encoder it sits after, its labels,
 * its holdout metrics, the hyperparameters that made it, and its lineage.
 *
 * @param kind the adapter family, a symbol of {@code AdapterKind} such as {@code
 *     LOW_RANK_CLASSIFIER}
 * @param encoderId the frozen encoder whose boundary activation the adapter reads
 * @param labels the label set, in output order
 * @param metrics holdout metrics by name, such as {@code accuracy}
 * @param hyperparameters hyperparameters by name; numbers, strings or booleans
 * @param lineage where the version came from; null means none
 */
public record AdapterMetadata(
        String kind,
        String encoderId,
        List<String> labels,
        Map<String, Double> metrics,
        Map<String, Object> hyperparameters,
        Lineage lineage) {

    /** Replaces null collections with empty ones and copies the rest. */
    public AdapterMetadata {
        labels = labels == null ? List.of() : List.copyOf(labels);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
        lineage = lineage == null ? Lineage.none() : lineage;
    }
}
