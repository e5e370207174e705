package io.forwardloop.trainer;

import java.util.Locale;

/** How an adapter is trained. */
public enum TrainingMethod {
    /** Zeroth-order: MeZO-SGD on perturbation pairs of the low-rank classifier. */
    ZO,
    /** Forward-Forward: layer-local goodness objectives. */
    FF,
    /**
     * Exact gradients (backpropagation and Adam): the reference the other two are measured against.
     * The streaming trainer never runs it; its low-rank classifier is servable and can be published
     * as a first adapter ({@code train --publish}).
     */
    BP;

    /** Parses {@code zo}, {@code ff} or {@code bp}, ignoring case. */
    public static TrainingMethod parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown training method '" + text + "'; use zo, ff or bp", e);
        }
    }

    /** The lower-case name, e.g. {@code zo}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
