package io.forwardloop.flink.internal;

import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * A count of the signal job, kept both as a Flink metric (per subtask, for metric reporters) and as
 * an accumulator (summed over the job, for the runner's summary line). Counts that can fall, such
 * as {@link #EXAMPLES_PENDING}, are levels: what is in a buffer now.
 */
public final class JobCounter {
    public static final String RECORDS_IN = "records-in";
    public static final String FEEDBACK_IN = "feedback-in";
    public static final String JOINED = "joined";
    public static final String HELD_OUT = "held-out";
    public static final String DEAD_LETTERED = "dead-lettered";
    public static final String DEAD_LETTERED_LATE = "dead-lettered-late";
    public static final String DEAD_LETTERED_ORPHAN = "dead-lettered-orphan";
    public static final String DEAD_LETTERED_UNKNOWN_LABEL = "dead-lettered-unknown-label";
    public static final String DEAD_LETTERED_INVALID = "dead-lettered-invalid";
    public static final String DUPLICATES = "duplicates";
    public static final String EXAMPLES_TRAINED = "examples-trained";
    public static final String EXAMPLES_PENDING = "examples-pending";
    public static final String EXAMPLES_DROPPED = "examples-dropped";
    public static final String EXAMPLES_DROPPED_NO_LABEL = "examples-dropped-no-label";
    public static final String EXAMPLES_DROPPED_UNFIT = "examples-dropped-unfit";
    public static final String EXAMPLES_DROPPED_OVERFLOW = "examples-dropped-overflow";
    public static final String SIGNALS_OUT = "signals-out";
    public static final String REPLAY_SIGNALS_OUT = "replay-signals-out";
    public static final String FF_EXAMPLES_OUT = "ff-examples-out";
    public static final String STEPS_APPLIED = "steps-applied";

    /** The counts kept per adapter as well, under {@link #perAdapter}. */
    public static final List<String> PER_ADAPTER = List.of(EXAMPLES_TRAINED, EXAMPLES_PENDING);

    private static final String ADAPTER_PREFIX = "adapter.";

    private final LongCounter accumulator;
    private final Counter metric;
    private long value;

    private JobCounter(LongCounter accumulator, Counter metric) {
        this.accumulator = accumulator;
        this.metric = metric;
    }

    /** Registers the count {@code name} of the operator that owns {@code context}. */
    public static JobCounter register(RuntimeContext context, String name) {
        String adapter = adapterOf(name);
        Counter metric =
                adapter == null
                        ? context.getMetricGroup().counter(name)
                        : context.getMetricGroup()
                                .addGroup("adapter", adapter)
                                .counter(countOf(name));
        return new JobCounter(context.getLongCounter(name), metric);
    }

    /**
     * The accumulator name of the count {@code name} of one adapter: {@code adapter.<a>.<name>}.
     */
    public static String perAdapter(String adapter, String name) {
        return ADAPTER_PREFIX + adapter + "." + name;
    }

    private static String adapterOf(String name) {
        if (!name.startsWith(ADAPTER_PREFIX)) {
            return null;
        }
        int dot = name.lastIndexOf('.');
        return dot <= ADAPTER_PREFIX.length() ? null : name.substring(ADAPTER_PREFIX.length(), dot);
    }

    private static String countOf(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** Adds one. */
    public void increment() {
        add(1L);
    }

    /** Adds {@code delta}, which is negative when a level falls. */
    public void add(long delta) {
        if (delta == 0) {
            return;
        }
        accumulator.add(delta);
        metric.inc(delta);
        value += delta;
    }

    /** The count of this subtask, restored values included. */
    public long value() {
        return value;
    }
}
