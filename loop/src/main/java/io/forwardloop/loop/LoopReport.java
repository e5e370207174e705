package io.forwardloop.loop;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The outcome of a loop run, written as JSON with snake_case keys ({@code initial_accuracy}, {@code
 * freshness_p50_s}, ...).
 *
 * <p>Accuracies are the gateway's answers on the evaluation set (drifted-domain sentences never
 * played as traffic), asked the same way before traffic starts and after it ends. The feedback
 * counts ({@link FeedbackAccount}, written inline: {@code feedback_events}, {@code trained_on},
 * {@code pending_at_end}, {@code dead_lettered_late}, ...) add up once the loop has settled, which
 * {@code accounted} says. Freshness is measured on tagged events (see {@link TrafficPlayer});
 * {@code freshness_samples} were measured, {@code freshness_unmatched} had no identified signal
 * batch, {@code freshness_not_served} were not yet served at the end; {@code
 * freshness_unplaced_batches} counts signal batches the tracker did not place, replay batches among
 * them.
 */
public record LoopReport(
        double initialAccuracy,
        double finalAccuracy,
        long initialVersion,
        long servingVersion,
        int evaluationSentences,
        long requests,
        @JsonUnwrapped FeedbackAccount feedback,
        boolean settled,
        long signals,
        long replaySignals,
        long steps,
        long promotions,
        long rollbacks,
        double seconds,
        Double freshnessP50S,
        Double freshnessP99S,
        int freshnessTagged,
        int freshnessSamples,
        int freshnessUnmatched,
        int freshnessNotServed,
        long freshnessUnplacedBatches) {
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT);

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the loop report as JSON", e);
        }
    }

    /** Writes {@link #toJson()} to {@code file}. */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the loop report to " + file, e);
        }
    }

    /** A few lines for a terminal. */
    public String summary() {
        FeedbackAccount f = feedback;
        return String.format(
                Locale.ROOT,
                "accuracy on the evaluation set: %.3f (v%d) -> %.3f (v%d)%n"
                        + "%d requests, %d feedback events sent: %d accepted, %d expired, %d"
                        + " repeated, %d failed, %d unsent%n"
                        + "accepted: %d trained on, %d pending, %d held out, %d dead-lettered"
                        + " (%d late, %d orphan, %d unknown label, %d invalid), %d duplicates, %d"
                        + " dropped%s%n"
                        + "%d signals (%d replay), %d steps in %.0f s%n"
                        + "freshness of learning: p50 %s s, p99 %s s (%d of %d tagged events)",
                initialAccuracy,
                initialVersion,
                finalAccuracy,
                servingVersion,
                requests,
                f.feedbackSent(),
                f.feedbackEvents(),
                f.feedbackExpired(),
                f.feedbackRepeated(),
                f.feedbackFailed(),
                f.feedbackUnsent(),
                f.trainedOn(),
                f.pendingAtEnd(),
                f.heldOut(),
                f.deadLettered(),
                f.deadLetteredLate(),
                f.deadLetteredOrphan(),
                f.deadLetteredUnknownLabel(),
                f.deadLetteredInvalid(),
                f.duplicates(),
                f.dropped(),
                f.accounted() ? "" : "; not accounted: " + String.join("; ", f.imbalances()),
                signals,
                replaySignals,
                steps,
                seconds,
                freshnessP50S == null ? "n/a" : String.format(Locale.ROOT, "%.1f", freshnessP50S),
                freshnessP99S == null ? "n/a" : String.format(Locale.ROOT, "%.1f", freshnessP99S),
                freshnessSamples,
                freshnessTagged);
    }
}
