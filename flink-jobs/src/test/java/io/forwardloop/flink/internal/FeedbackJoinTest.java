package io.forwardloop.flink.internal;

import static io.forwardloop.flink.Fixtures.T0;
import static io.forwardloop.flink.Fixtures.feedback;
import static io.forwardloop.flink.Fixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.LabeledExample;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedbackJoinTest {
    private static final long WAIT = 60_000L;
    private static final long STATE_TTL = 10 * WAIT;

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, InferenceRecord, Feedback, LabeledExample>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness(0.0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldConfirmThePredictedLabelOnAccept() throws Exception {
        harness.processElement1(record("r1", T0), T0);
        harness.processElement2(feedback("f1", "r1", FeedbackKind.ACCEPT, null, T0 + 5), T0 + 5);

        assertThat(examples())
                .singleElement()
                .satisfies(e -> assertThat(e.getLabel()).isEqualTo("positive"))
                .satisfies(e -> assertThat(e.getRejectedLabel()).isNull());
    }

    @Test
    void shouldJoinFeedbackThatCameBeforeItsRecord() throws Exception {
        harness.processElement2(feedback("f1", "r1", FeedbackKind.LABEL, "negative", T0), T0);
        assertThat(examples()).isEmpty();

        harness.processElement1(record("r1", T0 - 10), T0 - 10);

        assertThat(examples())
                .singleElement()
                .satisfies(e -> assertThat(e.getLabel()).isEqualTo("negative"));
    }

    @Test
    void shouldInferTheOtherOfTwoLabelsOnReject() throws Exception {
        harness.processElement1(record("r1", T0), T0);
        harness.processElement2(feedback("f1", "r1", FeedbackKind.REJECT, null, T0 + 1), T0 + 1);

        assertThat(examples())
                .singleElement()
                .satisfies(e -> assertThat(e.getRejectedLabel()).isEqualTo("positive"))
                .satisfies(e -> assertThat(e.getLabel()).isEqualTo("negative"));
    }

    @Test
    void shouldCountDuplicateFeedbackOnce() throws Exception {
        harness.processElement1(record("r1", T0), T0);
        harness.processElement2(feedback("f1", "r1", FeedbackKind.ACCEPT, null, T0 + 1), T0 + 1);
        harness.processElement2(feedback("f1", "r1", FeedbackKind.ACCEPT, null, T0 + 1), T0 + 1);
        harness.processElement2(
                feedback("f2", "r1", FeedbackKind.LABEL, "negative", T0 + 2), T0 + 2);

        assertThat(examples()).hasSize(1);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void shouldLabelWithTheFirstEarlyFeedbackAndCountTheOthersAsDuplicates() throws Exception {
        harness.processElement2(
                feedback("f1", "r1", FeedbackKind.LABEL, "negative", T0 + 1), T0 + 1);
        harness.processElement2(
                feedback("f2", "r1", FeedbackKind.LABEL, "positive", T0 + 2), T0 + 2);
        harness.processElement2(feedback("f3", "r1", FeedbackKind.ACCEPT, null, T0 + 3), T0 + 3);

        harness.processElement1(record("r1", T0), T0);

        assertThat(examples())
                .singleElement()
                .satisfies(e -> assertThat(e.getLabel()).isEqualTo("negative"));
        assertThat(count(JobCounter.JOINED)).isEqualTo(1);
        assertThat(count(JobCounter.DUPLICATES)).isEqualTo(2);
        assertThat(count(JobCounter.DEAD_LETTERED)).isZero();
    }

    @Test
    void shouldCountLaterFeedbackWithOtherIdsAsDuplicatesWhenTheRecordCameFirst() throws Exception {
        harness.processElement1(record("r1", T0), T0);
        harness.processElement2(
                feedback("f1", "r1", FeedbackKind.LABEL, "negative", T0 + 1), T0 + 1);
        harness.processElement2(
                feedback("f2", "r1", FeedbackKind.LABEL, "positive", T0 + 2), T0 + 2);

        assertThat(examples())
                .singleElement()
                .satisfies(e -> assertThat(e.getLabel()).isEqualTo("negative"));
        assertThat(count(JobCounter.JOINED)).isEqualTo(1);
        assertThat(count(JobCounter.DUPLICATES)).isEqualTo(1);
    }

    @Test
    void shouldLetTheNextEarlyFeedbackLabelWhenTheFirstNamesAnUnknownLabel() throws Exception {
        harness.processElement2(feedback("f1", "r1", FeedbackKind.LABEL, "neutral", T0), T0);
        harness.processElement2(
                feedback("f2", "r1", FeedbackKind.LABEL, "positive", T0 + 1), T0 + 1);

        harness.processElement1(record("r1", T0 - 5), T0 - 5);

        assertThat(examples())
                .singleElement()
                .satisfies(e -> assertThat(e.getLabel()).isEqualTo("positive"));
        assertThat(count(JobCounter.DEAD_LETTERED_UNKNOWN_LABEL)).isEqualTo(1);
        assertThat(count(JobCounter.DUPLICATES)).isZero();
    }

    @Test
    void shouldTellLateFeedbackFromOrphanAfterTheRequestStateExpired() throws Exception {
        harness.setStateTtlProcessingTime(0);
        harness.processElement1(record("r1", T0), T0);
        harness.processBothWatermarks(new Watermark(T0 + WAIT + 1));
        // the record's state is gone, the marker of the request is not
        harness.setStateTtlProcessingTime(STATE_TTL + 1);

        harness.processElement2(
                feedback("f1", "r1", FeedbackKind.ACCEPT, null, T0 + WAIT + 2), T0 + WAIT + 2);
        harness.processBothWatermarks(new Watermark(T0 + 3 * WAIT));

        assertThat(deadLetters())
                .singleElement()
                .satisfies(d -> assertThat(d.getReason()).startsWith("late feedback"));
        assertThat(count(JobCounter.DEAD_LETTERED_LATE)).isEqualTo(1);
        assertThat(count(JobCounter.DEAD_LETTERED_ORPHAN)).isZero();
    }

    @Test
    void shouldCallFeedbackLateWhenTheRecordStateExpiredBeforeItsWaitEnded() throws Exception {
        harness.setStateTtlProcessingTime(0);
        harness.processElement1(record("r1", T0), T0);
        harness.setStateTtlProcessingTime(STATE_TTL + 1);

        harness.processElement2(feedback("f1", "r1", FeedbackKind.ACCEPT, null, T0 + 5), T0 + 5);

        assertThat(examples()).isEmpty();
        assertThat(count(JobCounter.DEAD_LETTERED_LATE)).isEqualTo(1);
        assertThat(count(JobCounter.DEAD_LETTERED_ORPHAN)).isZero();
    }

    @Test
    void shouldCountADuplicateOfALabeledRequestAfterItsStateExpired() throws Exception {
        harness.setStateTtlProcessingTime(0);
        harness.processElement1(record("r1", T0), T0);
        harness.processElement2(feedback("f1", "r1", FeedbackKind.ACCEPT, null, T0 + 1), T0 + 1);
        harness.setStateTtlProcessingTime(STATE_TTL + 1);

        harness.processElement2(feedback("f1", "r1", FeedbackKind.ACCEPT, null, T0 + 1), T0 + 1);

        assertThat(examples()).hasSize(1);
        assertThat(deadLetters()).isEmpty();
        assertThat(count(JobCounter.DUPLICATES)).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterOrphanFeedbackAfterTheWait() throws Exception {
        harness.processElement2(feedback("f1", "r9", FeedbackKind.ACCEPT, null, T0), T0);
        harness.processBothWatermarks(new Watermark(T0 + WAIT - 1));
        assertThat(deadLetters()).isEmpty();

        harness.processBothWatermarks(new Watermark(T0 + WAIT));

        assertThat(deadLetters())
                .singleElement()
                .satisfies(d -> assertThat(d.getReason()).contains("orphan").contains("r9"));
        assertThat(examples()).isEmpty();
        assertThat(count(JobCounter.DEAD_LETTERED_ORPHAN)).isEqualTo(1);
        assertThat(count(JobCounter.DEAD_LETTERED_LATE)).isZero();
    }

    @Test
    void shouldDeadLetterFeedbackThatComesAfterTheWait() throws Exception {
        harness.processElement1(record("r1", T0), T0);
        harness.processBothWatermarks(new Watermark(T0 + WAIT + 1));
        harness.processElement2(
                feedback("f1", "r1", FeedbackKind.ACCEPT, null, T0 + WAIT + 2), T0 + WAIT + 2);

        assertThat(deadLetters())
                .singleElement()
                .satisfies(d -> assertThat(d.getReason()).contains("late"));
        assertThat(examples()).isEmpty();
    }

    @Test
    void shouldDeadLetterLateFeedbackWhileTheRecordIsStillHeld() throws Exception {
        harness.processElement1(record("r1", T0), T0);
        harness.processElement2(
                feedback("f1", "r1", FeedbackKind.ACCEPT, null, T0 + WAIT + 5), T0 + WAIT + 5);

        assertThat(deadLetters())
                .singleElement()
                .satisfies(d -> assertThat(d.getReason()).contains("late"));
    }

    @Test
    void shouldDeadLetterALabelOutsideTheAdaptersLabels() throws Exception {
        harness.processElement1(record("r1", T0), T0);
        harness.processElement2(
                feedback("f1", "r1", FeedbackKind.LABEL, "neutral", T0 + 1), T0 + 1);

        assertThat(deadLetters())
                .singleElement()
                .satisfies(d -> assertThat(d.getReason()).contains("neutral"));
        assertThat(count(JobCounter.DEAD_LETTERED_UNKNOWN_LABEL)).isEqualTo(1);
        assertThat(count(JobCounter.DEAD_LETTERED)).isEqualTo(1);
    }

    @Test
    void shouldHoldOutTheSameRequestsOnEveryRun() throws Exception {
        harness.close();
        harness = harness(0.3);
        List<String> ids = IntStream.range(0, 200).mapToObj(i -> "req-" + i).toList();
        for (String id : ids) {
            harness.processElement1(record(id, T0), T0);
            harness.processElement2(feedback("f-" + id, id, FeedbackKind.ACCEPT, null, T0), T0);
        }

        List<String> heldOut =
                harness.getSideOutput(JobTypes.HOLDOUT).stream()
                        .map(r -> r.getValue().getRequestId())
                        .toList();
        assertThat(heldOut).hasSizeBetween(40, 80);
        assertThat(heldOut).allMatch(id -> Hashing.isHeldOut(id, 0.3));
        assertThat(examples())
                .hasSize(200 - heldOut.size())
                .noneMatch(e -> heldOut.contains(e.getRequestId()));
    }

    private long count(String name) {
        Accumulator<?, ?> counter =
                harness.getEnvironment().getAccumulatorRegistry().getUserMap().get(name);
        return counter == null ? 0 : ((LongCounter) counter).getLocalValuePrimitive();
    }

    private List<LabeledExample> examples() {
        return harness.extractOutputValues();
    }

    private List<DeadLetter> deadLetters() {
        var letters = harness.getSideOutput(JobTypes.DEAD_LETTERS);
        return letters == null ? List.of() : letters.stream().map(StreamRecord::getValue).toList();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, InferenceRecord, Feedback, LabeledExample>
            harness(double holdout) throws Exception {
        SignalSettings settings =
                new SignalSettings(
                        4, 2, 1e-3, 64, 1, 64, 2, WAIT, STATE_TTL, 10 * STATE_TTL, holdout);
        var harness =
                ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                        new FeedbackJoin(settings),
                        InferenceRecord::getRequestId,
                        Feedback::getRequestId,
                        JobTypes.STRING);
        harness.open();
        return harness;
    }
}
