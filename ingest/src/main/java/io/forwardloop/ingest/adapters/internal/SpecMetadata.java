package io.forwardloop.ingest.adapters.internal;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds an adapter's spec from its metadata: the kind, the labels and the hyperparameters that fix
 * its shape ({@code rank}, {@code lora_scale} for a low-rank classifier; {@code hidden_sizes},
 * {@code label_scale}, {@code goodness_threshold} for Forward-Forward).
 */
public final class SpecMetadata {
    /** The rank of a low-rank classifier whose metadata names none. */
    public static final int DEFAULT_RANK = 8;

    private SpecMetadata() {}

    /**
     * Returns the spec the metadata describes, over activations of width {@code inputDim}.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static AdapterSpec spec(
            String kind, List<String> labels, Map<String, ?> hyperparameters, int inputDim) {
        AdapterKind adapterKind = kind(kind);
        AdapterSpec.Builder builder = AdapterSpec.builder(adapterKind).inputDim(inputDim);
        builder.labels(labels == null ? List.of() : labels);
        if (adapterKind == AdapterKind.LOW_RANK_CLASSIFIER) {
            builder.rank(intValue(hyperparameters, "rank", DEFAULT_RANK));
            builder.loraScale(floatValue(hyperparameters, "lora_scale", 1.0f));
        } else {
            builder.hiddenSizes(hiddenSizes(hyperparameters.get("hidden_sizes")));
            builder.labelScale(floatValue(hyperparameters, "label_scale", 1.0f));
            builder.goodnessThreshold(floatValue(hyperparameters, "goodness_threshold", 2.0f));
        }
        return builder.build();
    }

    /** Parses a kind such as {@code LOW_RANK_CLASSIFIER} or {@code low-rank-classifier}. */
    public static AdapterKind kind(String kind) {
        String normalised =
                kind == null ? "" : kind.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return AdapterKind.valueOf(normalised);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "kind '"
                            + kind
                            + "' is not an adapter kind; use LOW_RANK_CLASSIFIER or"
                            + " FORWARD_FORWARD",
                    e);
        }
    }

    private static int intValue(Map<String, ?> values, String key, int fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.intValue();
        }
        return Integer.parseInt(value.toString().trim());
    }

    private static float floatValue(Map<String, ?> values, String key, float fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.floatValue();
        }
        return Float.parseFloat(value.toString().trim());
    }

    private static List<Integer> hiddenSizes(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(v -> Integer.parseInt(v.toString().trim())).toList();
        }
        if (value instanceof String text && !text.isBlank()) {
            return java.util.Arrays.stream(text.split(","))
                    .map(v -> Integer.parseInt(v.trim()))
                    .toList();
        }
        throw new IllegalArgumentException(
                "hidden_sizes is required for a FORWARD_FORWARD adapter, e.g. [64, 32]");
    }
}
