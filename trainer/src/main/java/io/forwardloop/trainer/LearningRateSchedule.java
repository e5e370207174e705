package io.forwardloop.trainer;

import java.util.Locale;

/**
 * How the learning rate changes with the number of signals applied.
 *
 * <p>The rate of each step is written to the step log, so replicas and rebuilds never evaluate a
 * schedule: they read the rate.
 */
public enum LearningRateSchedule {
    /** eta. */
    CONSTANT,
    /** eta * (1 + cos(pi * min(t, T) / T)) / 2: from eta down to 0 over T signals, then 0. */
    COSINE,
    /** eta / sqrt(1 + t / T): halves the rate by t = 3T and keeps decaying slowly. */
    INVERSE_SQRT;

    /**
     * The rate for signal number {@code step} (from 0).
     *
     * @param base the base rate eta
     * @param decaySteps T, the schedule's length (cosine) or time scale (inverse square root)
     */
    public double rate(double base, long step, long decaySteps) {
        double t = Math.max(0, step);
        double scale = Math.max(1, decaySteps);
        switch (this) {
            case COSINE:
                return base * 0.5 * (1 + Math.cos(Math.PI * Math.min(t, scale) / scale));
            case INVERSE_SQRT:
                return base / Math.sqrt(1 + t / scale);
            default:
                return base;
        }
    }

    /** Parses a name case-insensitively, with {@code -} for {@code _}. */
    public static LearningRateSchedule parse(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (LearningRateSchedule schedule : values()) {
            if (schedule.name().equals(wanted)) {
                return schedule;
            }
        }
        throw new IllegalArgumentException(
                "unknown learning rate schedule '"
                        + name
                        + "'; use constant, cosine or inverse-sqrt");
    }

    /** The lower-case name used in configuration, e.g. {@code inverse-sqrt}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
