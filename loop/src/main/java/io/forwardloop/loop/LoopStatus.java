package io.forwardloop.loop;

import java.util.Locale;

/**
 * A moment of a running loop: how much feedback came in, how many signals and steps it made, which
 * adapter version the gateway serves and the trainer's latest holdout accuracy.
 *
 * @param seconds seconds since traffic started
 * @param requests predict requests answered
 * @param feedbackIn feedback events the gateway accepted
 * @param signals zeroth-order signals the trainer received
 * @param steps steps the trainer wrote to the step log
 * @param servingVersion the adapter version the gateway serves
 * @param holdoutAccuracy the trainer's latest holdout accuracy, or null before its first evaluation
 */
public record LoopStatus(
        long seconds,
        long requests,
        long feedbackIn,
        long signals,
        long steps,
        long servingVersion,
        Double holdoutAccuracy) {

    /** One status line for a terminal. */
    public String line() {
        return String.format(
                Locale.ROOT,
                "%4ds  requests %d  feedback in %d  signals %d  steps %d  serving v%d"
                        + "  holdout accuracy %s",
                seconds,
                requests,
                feedbackIn,
                signals,
                steps,
                servingVersion,
                holdoutAccuracy == null
                        ? "n/a"
                        : String.format(Locale.ROOT, "%.3f", holdoutAccuracy));
    }
}
