package io.forwardloop.schemas.compat;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a new version of a schema must relate to the versions registered before it.
 *
 * <p>The names and meanings are those of the Confluent Schema Registry: BACKWARD means a reader
 * using the new schema can read data written with the previous one; FORWARD means a reader using
 * the previous schema can read data written with the new one; FULL is both. The transitive variants
 * check against every earlier version instead of only the latest.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** Whether a reader with the new schema must read data written with earlier ones. */
    public boolean newReadsOld() {
        return newReadsOld;
    }

    /** Whether a reader with an earlier schema must read data written with the new one. */
    public boolean oldReadsNew() {
        return oldReadsNew;
    }

    /** Whether every earlier version is checked, not only the latest. */
    public boolean transitive() {
        return transitive;
    }

    /**
     * Parses a level name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code name} is none of them
     */
    public static CompatibilityLevel parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            String accepted =
                    Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(
                    "unknown compatibility level '" + name + "'; use one of " + accepted, e);
        }
    }
}
