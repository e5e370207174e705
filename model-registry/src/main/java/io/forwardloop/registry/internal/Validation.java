package io.forwardloop.registry.internal;

import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.Lineage;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.RegistryException.Reason;
import io.forwardloop.schemas.avro.AdapterKind;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks names and metadata before anything is written, with messages that say what to fix. */
public final class Validation {
    private static final Pattern ADAPTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final List<String> KINDS =
            Arrays.stream(AdapterKind.values())
                    .filter(k -> k != AdapterKind.UNKNOWN)
                    .map(Enum::name)
                    .toList();

    private Validation() {}

    /** Returns the adapter kinds a version may have, such as {@code LOW_RANK_CLASSIFIER}. */
    public static List<String> adapterKinds() {
        return KINDS;
    }

    public static String adapterName(String name) {
        return matching(name, ADAPTER_NAME, "adapter name", "letters, digits, '.', '_', '-'");
    }

    public static String alias(String alias) {
        return matching(alias, ALIAS, "alias", "lower-case letters, digits, '.', '_', '-'");
    }

    public static String sha256(String sha) {
        return matching(sha, SHA256, "SHA-256", "64 lower-case hex digits");
    }

    public static long version(String text) {
        try {
            long version = Long.parseLong(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw bad("version '" + text + "' is not a version number; versions count from 1");
    }

    /** Checks the publisher's metadata. */
    public static void metadata(AdapterMetadata m) {
        if (m.kind() == null || !KINDS.contains(m.kind())) {
            throw bad("kind '" + m.kind() + "' is not an adapter kind; use one of " + KINDS);
        }
        if (m.encoderId() == null || m.encoderId().isBlank() || m.encoderId().length() > 256) {
            throw bad("encoder_id is required (1 to 256 characters), was '" + m.encoderId() + "'");
        }
        labels(m.labels());
        metrics(m.metrics());
        hyperparameters(m.hyperparameters());
        lineage(m.lineage());
    }

    private static void labels(List<String> labels) {
        boolean blank = labels.stream().anyMatch(String::isBlank);
        if (labels.isEmpty() || blank || new HashSet<>(labels).size() != labels.size()) {
            throw bad(
                    "labels must be a non-empty list of distinct, non-blank names, was " + labels);
        }
    }

    /** Refuses a list with a null element, naming the field and the index. */
    static void noNulls(String field, List<?> values) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw bad(field + "[" + i + "] is null; give a value or leave the entry out");
            }
        }
    }

    /** Refuses a map with a null value, naming the field and the key. */
    static void noNullValues(String field, Map<String, ?> values) {
        if (values == null) {
            return;
        }
        values.forEach(
                (key, value) -> {
                    if (value == null) {
                        throw bad(field + "." + key + " is null; give a value or leave it out");
                    }
                });
    }

    private static void metrics(Map<String, Double> metrics) {
        metrics.forEach(
                (name, value) -> {
                    if (value == null || !Double.isFinite(value)) {
                        throw bad("metric '" + name + "' must be a finite number, was " + value);
                    }
                });
    }

    private static void hyperparameters(Map<String, Object> hyperparameters) {
        hyperparameters.forEach(
                (name, value) -> {
                    boolean scalar =
                            value instanceof Number
                                    || value instanceof String
                                    || value instanceof Boolean;
                    if (!scalar) {
                        throw bad(
                                "hyperparameter '"
                                        + name
                                        + "' must be a number, string or boolean, was "
                                        + value);
                    }
                });
    }

    private static void lineage(Lineage l) {
        if ((l.stepFrom() == null) != (l.stepTo() == null)) {
            throw bad("lineage needs both step_from and step_to, or neither");
        }
        if (l.stepFrom() != null && (l.stepFrom() < 0 || l.stepFrom() > l.stepTo())) {
            throw bad(
                    "lineage step range "
                            + l.stepFrom()
                            + ".."
                            + l.stepTo()
                            + " is empty or negative; give step_from <= step_to");
        }
        if (l.dataFromMs() != null && l.dataToMs() != null && l.dataFromMs() > l.dataToMs()) {
            throw bad("lineage data window ends before it starts; give data_from_ms <= data_to_ms");
        }
    }

    private static String matching(String value, Pattern pattern, String what, String allowed) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw bad(what + " '" + value + "' is not valid; use " + allowed);
        }
        return value;
    }

    static RegistryException bad(String message) {
        return new RegistryException(Reason.BAD_REQUEST, message);
    }
}
