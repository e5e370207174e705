package io.forwardloop.loop;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where every feedback event of a loop run went, from the traffic player's answers and the signal
 * job's counts.
 *
 * <p>Each feedback event the player scheduled was accepted by the gateway, refused as expired
 * (410), answered as a repeat (200), failed, or was still unsent when the run ended. Each accepted
 * one is exactly one of: trained on (entered a fresh mini-batch), pending at the end (waits in a
 * partial one), held out, dead-lettered (late, orphan, unknown label, invalid), a duplicate, or
 * dropped (no true label, does not fit the adapter, pushed out of a full pending buffer). The left
 * side comes from the gateway's answers and the right from the signal job, so {@link #imbalances()}
 * finds feedback lost or counted twice between them.
 *
 * @param feedbackSent feedback events the player scheduled
 * @param feedbackEvents feedback the gateway accepted (202)
 * @param feedbackExpired feedback the gateway refused as expired (410)
 * @param feedbackRepeated feedback the gateway answered as a repeat (200)
 * @param feedbackFailed feedback calls that failed otherwise
 * @param feedbackUnsent feedback still scheduled when the run ended
 * @param feedbackRejects accepted feedback events that were rejections
 * @param joined accepted events the signal job joined to their record
 * @param heldOut joined events held out for evaluation
 * @param trainedOn joined events that entered a fresh mini-batch
 * @param pendingAtEnd joined events waiting in a partial mini-batch at the end
 * @param deadLetteredLate feedback later than the join's wait
 * @param deadLetteredOrphan feedback whose record never came
 * @param deadLetteredUnknownLabel feedback naming a label the adapter does not have
 * @param deadLetteredInvalid feedback of a kind that carries no label
 * @param duplicates feedback for a request already labeled, or with a feedback id seen before
 * @param droppedNoLabel joined events without a true label
 * @param droppedUnfit joined events that do not fit the adapter's labels or input width
 * @param droppedOverflow joined events pushed out of a full pending buffer
 */
public record FeedbackAccount(
        long feedbackSent,
        long feedbackEvents,
        long feedbackExpired,
        long feedbackRepeated,
        long feedbackFailed,
        long feedbackUnsent,
        long feedbackRejects,
        long joined,
        long heldOut,
        long trainedOn,
        long pendingAtEnd,
        long deadLetteredLate,
        long deadLetteredOrphan,
        long deadLetteredUnknownLabel,
        long deadLetteredInvalid,
        long duplicates,
        long droppedNoLabel,
        long droppedUnfit,
        long droppedOverflow) {

    /** Dead letters of every reason. */
    @JsonProperty("dead_lettered")
    public long deadLettered() {
        return deadLetteredLate
                + deadLetteredOrphan
                + deadLetteredUnknownLabel
                + deadLetteredInvalid;
    }

    /** Drops of every reason. */
    @JsonProperty("dropped")
    public long dropped() {
        return droppedNoLabel + droppedUnfit + droppedOverflow;
    }

    /** Whether every count adds up; see {@link #imbalances()}. */
    @JsonProperty("accounted")
    public boolean accounted() {
        return imbalances().isEmpty();
    }

    /** Each sum that does not add up, in words; empty when everything is accounted for. */
    public List<String> imbalances() {
        List<String> problems = new ArrayList<>();
        long answered =
                feedbackEvents
                        + feedbackExpired
                        + feedbackRepeated
                        + feedbackFailed
                        + feedbackUnsent;
        check(
                problems,
                "sent",
                feedbackSent,
                "accepted + expired + repeated + failed + unsent",
                answered);
        long placed = trainedOn + pendingAtEnd + heldOut + deadLettered() + duplicates + dropped();
        check(
                problems,
                "accepted",
                feedbackEvents,
                "trained on + pending + held out + dead-lettered + duplicates + dropped",
                placed);
        check(
                problems,
                "joined",
                joined,
                "trained on + pending + held out + dropped",
                trainedOn + pendingAtEnd + heldOut + dropped());
        return problems;
    }

    private static void check(
            List<String> problems, String left, long value, String right, long sum) {
        if (value != sum) {
            problems.add(String.format(Locale.ROOT, "%s %d != %s %d", left, value, right, sum));
        }
    }
}
