package io.forwardloop.trainer;

import java.util.Optional;

/**
 * When a candidate replaces the serving version, and when the serving version is rolled back.
 *
 * <p>Both are judged on the same holdout window: the serving alias is rolled back when the serving
 * version's accuracy is below {@code rollbackThreshold}; a candidate is promoted only when its own
 * accuracy is at least {@code rollbackThreshold} and, if a version serves, at most {@code
 * tolerance} below the serving version's. A promoted candidate is therefore never one the next
 * round would roll back, so promotion and rollback cannot alternate.
 *
 * @param tolerance accuracy the candidate may lose against the serving version, in [0, 1]
 * @param rollbackThreshold accuracy below which the serving version is rolled back, in [0, 1]
 */
public record PromotionPolicy(double tolerance, double rollbackThreshold) {
    /** Checks both are in [0, 1]. */
    public PromotionPolicy {
        if (!(tolerance >= 0 && tolerance <= 1)
                || !(rollbackThreshold >= 0 && rollbackThreshold <= 1)) {
            throw new IllegalArgumentException(
                    "promotion tolerance "
                            + tolerance
                            + " and rollback threshold "
                            + rollbackThreshold
                            + " must both be in [0, 1]");
        }
    }

    /** Whether the candidate should serve, given the serving version's evaluation if any. */
    public boolean shouldPromote(Evaluation candidate, Optional<Evaluation> serving) {
        if (shouldRollBack(candidate)) {
            return false;
        }
        return serving.isEmpty() || candidate.accuracy() >= serving.get().accuracy() - tolerance;
    }

    /** Whether the serving version (or a candidate) is bad enough to roll back. */
    public boolean shouldRollBack(Evaluation serving) {
        return serving.accuracy() < rollbackThreshold;
    }
}
