package io.forwardloop.flink.internal;

import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.ForwardForwardExample;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.LabeledExample;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** The operators of the signal job between its sources and its sinks, the same in every mode. */
public final class SignalTopology {
    private SignalTopology() {}

    /** The four outputs of the job. */
    public record Outputs(
            DataStream<ZeroOrderSignal> signals,
            DataStream<ForwardForwardExample> forwardForward,
            DataStream<LabeledExample> holdout,
            DataStream<DeadLetter> deadLetters) {}

    /** Wires the join, the holdout split and the signal operator. */
    public static Outputs wire(
            DataStream<InferenceRecord> records,
            DataStream<Feedback> feedback,
            DataStream<AdapterStep> steps,
            SignalSettings settings) {
        // join feedback to its inference record, hold out a share
        SingleOutputStreamOperator<LabeledExample> joined =
                records.keyBy(InferenceRecord::getRequestId, JobTypes.STRING)
                        .connect(feedback.keyBy(Feedback::getRequestId, JobTypes.STRING))
                        .process(new FeedbackJoin(settings), JobTypes.LABELED_EXAMPLE)
                        .name("join feedback")
                        .uid("join-feedback");

        // replay the step log on every subtask, emit signals per adapter shard
        BroadcastStream<AdapterStep> log =
                steps.broadcast(SignalOperator.REPLICAS, SignalOperator.PENDING_STEPS);
        SingleOutputStreamOperator<ZeroOrderSignal> signals =
                joined.keyBy(new ShardKey(settings.parallelShards()), JobTypes.STRING)
                        .connect(log)
                        .process(new SignalOperator(settings), JobTypes.ZERO_ORDER_SIGNAL)
                        .name("emit signals")
                        .uid("emit-signals");

        return new Outputs(
                signals,
                signals.getSideOutput(JobTypes.FF_EXAMPLES),
                joined.getSideOutput(JobTypes.HOLDOUT),
                joined.getSideOutput(JobTypes.DEAD_LETTERS));
    }
}
