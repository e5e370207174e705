package io.forwardloop.flink.internal;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * A count of the signal job, kept both as a Flink metric (per subtask, for metric reporters) and as
 * an accumulator (summed over the job, for the runner's summary line).
 */
public final class JobCounter {
    public static final String RECORDS_IN = "records-in";
    public static final String FEEDBACK_IN = "feedback-in";
    public static final String JOINED = "joined";
    public static final String HELD_OUT = "held-out";
    public static final String DEAD_LETTERED = "dead-lettered";
    public static final String DUPLICATES = "duplicates";
    public static final String SIGNALS_OUT = "signals-out";
    public static final String FF_EXAMPLES_OUT = "ff-examples-out";
    public static final String STEPS_APPLIED = "steps-applied";
    public static final String EXAMPLES_DROPPED = "examples-dropped";

    private final LongCounter accumulator;
    private final Counter metric;

    private JobCounter(LongCounter accumulator, Counter metric) {
        this.accumulator = accumulator;
        this.metric = metric;
    }

    /** Registers the count {@code name} of the operator that owns {@code context}. */
    public static JobCounter register(RuntimeContext context, String name) {
        return new JobCounter(context.getLongCounter(name), context.getMetricGroup().counter(name));
    }

    /** Adds one. */
    public void increment() {
        accumulator.add(1L);
        metric.inc();
    }
}
