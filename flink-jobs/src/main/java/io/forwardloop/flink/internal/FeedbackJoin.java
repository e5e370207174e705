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
import java.util.List;
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
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins inference records and feedback by request id in event time, and routes each labeled example
 * to training (main output) or to the holdout (side output {@link JobTypes#HOLDOUT}).
 *
 * <p>A record waits {@code feedbackWaitMs} of event time after its timestamp for feedback; feedback
 * that comes before its record waits as long after its own timestamp. Feedback for a record whose
 * wait ended, or timestamped more than the wait after it, is late; feedback whose record never came
 * is an orphan; both go to {@link JobTypes#DEAD_LETTERS} with the reason. Feedback with a feedback
 * id seen before, or for a request already labeled, is a duplicate and only counted: the first
 * feedback of a request labels it. State expires {@code stateTtlMs} of processing time after it was
 * written.
 */
public final class FeedbackJoin
        extends KeyedCoProcessFunction<String, InferenceRecord, Feedback, LabeledExample> {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackJoin.class);
    private static final String STAGE = "signal-join";
    private static final String LABELED = "labeled";
    private static final String EXPIRED = "expired";

    private final SignalSettings settings;

    private transient ValueState<InferenceRecord> record;
    private transient ListState<Feedback> waiting;
    private transient ValueState<String> status;
    private transient MapState<String, Boolean> feedbackIds;
    private transient JobCounter recordsIn;
    private transient JobCounter feedbackIn;
    private transient JobCounter joined;
    private transient JobCounter heldOut;
    private transient JobCounter deadLettered;
    private transient JobCounter duplicates;

    public FeedbackJoin(SignalSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        record =
                getRuntimeContext()
                        .getState(
                                ttl(
                                        new ValueStateDescriptor<>(
                                                "record", JobTypes.INFERENCE_RECORD)));
        waiting =
                getRuntimeContext()
                        .getListState(ttl(new ListStateDescriptor<>("waiting", JobTypes.FEEDBACK)));
        status =
                getRuntimeContext()
                        .getState(ttl(new ValueStateDescriptor<>("status", Types.STRING)));
        feedbackIds =
                getRuntimeContext()
                        .getMapState(
                                ttl(
                                        new MapStateDescriptor<>(
                                                "feedback-ids", Types.STRING, Types.BOOLEAN)));
        recordsIn = JobCounter.register(getRuntimeContext(), JobCounter.RECORDS_IN);
        feedbackIn = JobCounter.register(getRuntimeContext(), JobCounter.FEEDBACK_IN);
        joined = JobCounter.register(getRuntimeContext(), JobCounter.JOINED);
        heldOut = JobCounter.register(getRuntimeContext(), JobCounter.HELD_OUT);
        deadLettered = JobCounter.register(getRuntimeContext(), JobCounter.DEAD_LETTERED);
        duplicates = JobCounter.register(getRuntimeContext(), JobCounter.DUPLICATES);
    }

    private <S extends StateDescriptor<?, ?>> S ttl(S descriptor) {
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(Duration.ofMillis(settings.stateTtlMs()))
                        .neverReturnExpired()
                        .build());
        return descriptor;
    }

    // an inference record: join the feedback that waited for it, or wait for feedback
    @Override
    public void processElement1(InferenceRecord value, Context ctx, Collector<LabeledExample> out)
            throws Exception {
        recordsIn.increment();
        if (record.value() != null || status.value() != null) {
            LOG.trace("Request {}: record seen before, ignored", value.getRequestId());
            return;
        }
        record.update(value);
        ctx.timerService().registerEventTimeTimer(deadline(value.getTimestampMs()).toEpochMilli());
        List<Feedback> early = new ArrayList<>();
        waiting.get().forEach(early::add);
        waiting.clear();
        for (Feedback feedback : early) {
            join(value, feedback, ctx, out);
        }
    }

    // feedback: join it, keep it until its record comes, or refuse it
    @Override
    public void processElement2(Feedback value, Context ctx, Collector<LabeledExample> out)
            throws Exception {
        feedbackIn.increment();
        if (feedbackIds.contains(value.getFeedbackId())) {
            duplicates.increment();
            return;
        }
        feedbackIds.put(value.getFeedbackId(), Boolean.TRUE);
        InferenceRecord current = record.value();
        if (current != null) {
            join(current, value, ctx, out);
        } else if (status.value() != null) {
            refuseLabeledOrLate(value, ctx);
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
            deadLetter(feedback, late(feedback), ctx);
            return;
        }
        ExampleLabels.Outcome outcome = ExampleLabels.label(current, feedback);
        if (outcome.example() == null) {
            deadLetter(feedback, outcome.refusal(), ctx);
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

    private void refuseLabeledOrLate(Feedback feedback, Context ctx) throws IOException {
        if (LABELED.equals(status.value())) {
            duplicates.increment();
        } else {
            deadLetter(feedback, late(feedback), ctx);
        }
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
        List<Feedback> orphans = new ArrayList<>();
        for (Feedback feedback : waiting.get()) {
            if (deadline(feedback.getTimestampMs()).toEpochMilli() <= timestamp) {
                deadLetter(feedback, orphan(feedback), ctx);
            } else {
                orphans.add(feedback);
            }
        }
        waiting.update(orphans);
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

    private void deadLetter(Feedback feedback, String reason, Context ctx) {
        LOG.warn("Feedback {} dead-lettered: {}", feedback.getFeedbackId(), reason);
        deadLettered.increment();
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
