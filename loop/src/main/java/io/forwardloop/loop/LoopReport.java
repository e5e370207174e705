package io.forwardloop.loop;

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
 * counts add up: {@code feedback_events = joined + dead_lettered + duplicates} once the loop has
 * settled, and {@code joined = held_out + trained_on}. Freshness is measured on tagged events (see
 * {@link TrafficPlayer}); {@code freshness_samples} were measured, {@code freshness_unmatched} had
 * no identified signal batch, {@code freshness_not_served} were not yet served at the end.
 */
public record LoopReport(
        double initialAccuracy,
        double finalAccuracy,
        long initialVersion,
        long servingVersion,
        int evaluationSentences,
        long requests,
        long feedbackEvents,
        long feedbackExpired,
        long feedbackRepeated,
        long feedbackRejects,
        long joined,
        long heldOut,
        long trainedOn,
        long deadLettered,
        long duplicates,
        boolean settled,
        long signals,
        long steps,
        long promotions,
        long rollbacks,
        double seconds,
        Double freshnessP50S,
        Double freshnessP99S,
        int freshnessTagged,
        int freshnessSamples,
        int freshnessUnmatched,
        int freshnessNotServed) {
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
        return String.format(
                Locale.ROOT,
                "accuracy on the evaluation set: %.3f (v%d) -> %.3f (v%d)%n%d requests, %d feedback"
                    + " events (%d held out, %d trained on, %d dead-lettered, %d duplicates, %d"
                    + " expired), %d signals, %d steps in %.0f s%nfreshness of learning: p50 %s s,"
                    + " p99 %s s (%d of %d tagged events)",
                initialAccuracy,
                initialVersion,
                finalAccuracy,
                servingVersion,
                requests,
                feedbackEvents,
                heldOut,
                trainedOn,
                deadLettered,
                duplicates,
                feedbackExpired,
                signals,
                steps,
                seconds,
                freshnessP50S == null ? "n/a" : String.format(Locale.ROOT, "%.1f", freshnessP50S),
                freshnessP99S == null ? "n/a" : String.format(Locale.ROOT, "%.1f", freshnessP99S),
                freshnessSamples,
                freshnessTagged);
    }
}
