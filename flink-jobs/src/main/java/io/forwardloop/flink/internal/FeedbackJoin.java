package io.forwardloop.flink.internal;

import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.LabeledExample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins inference records and feedback by request id in event time, and routes each labeled example
 * to training (main output) or to the holdout (side output {@link JobTypes#HOLDOUT}).
 *
 * <p>A record waits {@code feedbackWaitMs} of event time after its timestamp for feedback; feedback
 * that comes before its record waits as long after its own timestamp. The first feedback that
 * labels a request wins: any later feedback for it, early or not, and feedback with a feedback id
 * seen before, is a duplicate and only counted. Feedback for a record whose wait ended, or
 * timestamped more than the wait after it, is late; feedback whose record never came is an orphan;
 * feedback whose label is not one of the record's is refused; all of them go to {@link
 * JobTypes#DEAD_LETTERS} with the reason, each reason counted apart.
 *
 * <p>The record, early feedback and feedback ids expire {@code stateTtlMs} of processing time after
 * they were written; a compact marker of the request (record seen, labeled, wait over) lives {@code
 * seenTtlMs}, so feedback that comes after the record's state expired is still told late (or a
 * duplicate) rather than orphan. Every feedback event ends in exactly one count: joined,
 * dead-lettered (by reason) or duplicate.
 */
public final class FeedbackJoin
        extends KeyedCoProcessFunction<String, InferenceRecord, Feedback, LabeledExample>
        implements CheckpointedFunction {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackJoin.class);
    private static final String STAGE = "signal-join";

    /** What the join remembers of a request once its record came. */
    private static final String OPEN = "open";

    private static final String LABELED = "labeled";
    private static final String EXPIRED = "expired";

    /** Why feedback was dead-lettered; each reason is counted apart. */
    enum Reason {
        LATE(JobCounter.DEAD_LETTERED_LATE),
        ORPHAN(JobCounter.DEAD_LETTERED_ORPHAN),
        UNKNOWN_LABEL(JobCounter.DEAD_LETTERED_UNKNOWN_LABEL),
        INVALID(JobCounter.DEAD_LETTERED_INVALID);

        private final String count;

        Reason(String count) {
            this.count = count;
        }
    }

    private final SignalSettings settings;

    private transient ValueState<InferenceRecord> record;
    private transient ListState<Feedback> waiting;
    private transient ValueState<String> status;
    private transient MapState<String, Boolean> feedbackIds;
    private transient JobCounters counters;
    private transient JobCounter recordsIn;
    private transient JobCounter feedbackIn;
    private transient JobCounter joined;
    private transient JobCounter heldOut;
    private transient JobCounter deadLettered;
    private transient JobCounter duplicates;
    private transient Map<Reason, JobCounter> deadLetteredBy;

    public FeedbackJoin(SignalSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        counters = new JobCounters(getRuntimeContext());
        counters.initialize(context);
        recordsIn = counters.counter(JobCounter.RECORDS_IN);
        feedbackIn = counters.counter(JobCounter.FEEDBACK_IN);
        joined = counters.counter(JobCounter.JOINED);
        heldOut = counters.counter(JobCounter.HELD_OUT);
        deadLettered = counters.counter(JobCounter.DEAD_LETTERED);
        duplicates = counters.counter(JobCounter.DUPLICATES);
        deadLetteredBy = new EnumMap<>(Reason.class);
        for (Reason reason : Reason.values()) {
            deadLetteredBy.put(reason, counters.counter(reason.count));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        counters.snapshot();
    }

    @Override
    public void open(OpenContext openContext) {
        long stateTtl = settings.stateTtlMs();
        record =
                getRuntimeContext()
                        .getState(
                                ttl(
                                        new ValueStateDescriptor<>(
                                                "record", JobTypes.INFERENCE_RECORD),
                                        stateTtl));
        waiting =
                getRuntimeContext()
                        .getListState(
                                ttl(
                                        new ListStateDescriptor<>("waiting", JobTypes.FEEDBACK),
                                        stateTtl));
        status =
                getRuntimeContext()
                        .getState(
                                ttl(
                                        new ValueStateDescriptor<>("status", Types.STRING),
                                        settings.seenTtlMs()));
        feedbackIds =
                getRuntimeContext()
                        .getMapState(
                                ttl(
                                        new MapStateDescriptor<>(
                                                "feedback-ids", Types.STRING, Types.BOOLEAN),
                                        stateTtl));
    }

    private static <S extends StateDescriptor<?, ?>> S ttl(S descriptor, long ttlMs) {
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs)).neverReturnExpired().build());
        return descriptor;
    }

    // an inference record: join the feedback that waited for it, or wait for feedback
    @Override
    public void processElement1(InferenceRecord value, Context ctx, Collector<LabeledExample> out)
            throws Exception {
        recordsIn.increment();
        if (status.value() != null) {
            LOG.trace("Request {}: record seen before, ignored", value.getRequestId());
            return;
        }
        record.update(value);
        status.update(OPEN);
        ctx.timerService().registerEventTimeTimer(deadline(value.getTimestampMs()).toEpochMilli());
        List<Feedback> early = new ArrayList<>();
        waiting.get().forEach(early::add);
        waiting.clear();
        for (Feedback feedback : early) {
            if (LABELED.equals(status.value())) {
                duplicate(feedback);
            } else {
                join(value, feedback, ctx, out);
            }
        }
    }

    // feedback: join it, keep it until its record comes, or refuse it
    @Override
    public void processElement2(Feedback value, Context ctx, Collector<LabeledExample> out)
            throws Exception {
        feedbackIn.increment();
        if (feedbackIds.contains(value.getFeedbackId())) {
            duplicate(value);
            return;
        }
        feedbackIds.put(value.getFeedbackId(), Boolean.TRUE);
        InferenceRecord current = record.value();
        String seen = status.value();
        if (current != null) {
            join(current, value, ctx, out);
        } else if (LABELED.equals(seen)) {
            duplicate(value);
        } else if (seen != null) {
            // the record came, and its wait ended (or its state expired before it did)
            deadLetter(value, Reason.LATE, late(value), ctx);
        } else {
            waiting.add(value);
            ctx.timerService()
                    .registerEventTimeTimer(deadline(value.getTimestampMs()).toEpochMilli());
        }
    }

    private void join(
            InferenceRecord current, Feedback feedback, Context ctx, Collector<LabeledExample> out)
            throws IOException {
        if (feedback.getTimestampMs().isAfter(deadline(current.getTimestampMs()))) {
            deadLetter(feedback, Reason.LATE, late(feedback), ctx);
            return;
        }
        ExampleLabels.Outcome outcome = ExampleLabels.label(current, feedback);
        if (outcome.example() == null) {
            Reason reason =
                    outcome.refusal() == ExampleLabels.Refusal.UNKNOWN_LABEL
                            ? Reason.UNKNOWN_LABEL
                            : Reason.INVALID;
            deadLetter(feedback, reason, outcome.reason(), ctx);
            return;
        }
        record.clear();
        status.update(LABELED);
        joined.increment();
        route(outcome.example(), ctx, out);
    }

    private void route(LabeledExample example, Context ctx, Collector<LabeledExample> out) {
        if (Hashing.isHeldOut(example.getRequestId(), settings.holdoutShare())) {
            heldOut.increment();
            ctx.output(JobTypes.HOLDOUT, example);
        } else {
            out.collect(example);
        }
    }

    private void duplicate(Feedback feedback) {
        LOG.trace(
                "Feedback {} for request {} is a duplicate",
                feedback.getFeedbackId(),
                feedback.getRequestId());
        duplicates.increment();
    }

    // the wait of a record or of early feedback ended
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LabeledExample> out)
            throws Exception {
        InferenceRecord current = record.value();
        if (current != null && deadline(current.getTimestampMs()).toEpochMilli() <= timestamp) {
            record.clear();
            status.update(EXPIRED);
        }
        List<Feedback> stillWaiting = new ArrayList<>();
        for (Feedback feedback : waiting.get()) {
            if (deadline(feedback.getTimestampMs()).toEpochMilli() <= timestamp) {
                deadLetter(feedback, Reason.ORPHAN, orphan(feedback), ctx);
            } else {
                stillWaiting.add(feedback);
            }
        }
        waiting.update(stillWaiting);
    }

    private Instant deadline(Instant timestamp) {
        return timestamp.plusMillis(settings.feedbackWaitMs());
    }

    private String late(Feedback feedback) {
        return "late feedback: request "
                + feedback.getRequestId()
                + " was not labeled within join.feedback.wait.ms="
                + settings.feedbackWaitMs();
    }

    private String orphan(Feedback feedback) {
        return "orphan feedback: no inference record for request "
                + feedback.getRequestId()
                + " came within join.feedback.wait.ms="
                + settings.feedbackWaitMs();
    }

    private void deadLetter(Feedback feedback, Reason kind, String reason, Context ctx) {
        LOG.warn("Feedback {} dead-lettered: {}", feedback.getFeedbackId(), reason);
        deadLettered.increment();
        deadLetteredBy.get(kind).increment();
        ctx.output(
                JobTypes.DEAD_LETTERS,
                DeadLetter.newBuilder()
                        .setSourceTopic(Topics.FEEDBACK.name())
                        .setPartition(-1)
                        .setOffset(-1L)
                        .setOriginalKey(ByteBuffer.wrap(utf8(feedback.getRequestId())))
                        .setOriginalValue(ByteBuffer.wrap(avroBinary(feedback)))
                        .setReason(reason)
                        .setStage(STAGE)
                        .setTimestampMs(
                                Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
                        .build());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] avroBinary(Feedback feedback) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<>(Feedback.class).write(feedback, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode feedback " + feedback.getFeedbackId(), e);
        }
    }
}
