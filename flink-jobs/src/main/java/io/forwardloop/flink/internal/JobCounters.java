package io.forwardloop.flink.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * The counts of one operator subtask, kept in its checkpointed operator state.
 *
 * <p>A restart from a checkpoint restores each count to its value at that checkpoint, and the
 * records after it are counted again as they are processed again, so the counts agree with the
 * outputs a read_committed consumer sees. After a rescale the restored values are summed, which
 * keeps the job's totals.
 */
public final class JobCounters {
    private static final TypeInformation<Tuple2<String, Long>> ENTRY =
            Types.TUPLE(Types.STRING, Types.LONG);
    private static final ListStateDescriptor<Tuple2<String, Long>> STATE =
            new ListStateDescriptor<>("job-counts", ENTRY);

    private final RuntimeContext context;
    private final Map<String, JobCounter> counters = new HashMap<>();
    private ListState<Tuple2<String, Long>> state;

    public JobCounters(RuntimeContext context) {
        this.context = context;
    }

    /** Reads the counts of a restored checkpoint, and registers each of them. */
    public void initialize(FunctionInitializationContext init) throws Exception {
        state = init.getOperatorStateStore().getListState(STATE);
        if (!init.isRestored()) {
            return;
        }
        Map<String, Long> restored = new HashMap<>();
        for (Tuple2<String, Long> entry : state.get()) {
            restored.merge(entry.f0, entry.f1, Long::sum);
        }
        restored.forEach((name, value) -> counter(name).add(value));
    }

    /** The count {@code name}, registered on first use. */
    public JobCounter counter(String name) {
        return counters.computeIfAbsent(name, n -> JobCounter.register(context, n));
    }

    /** The count {@code name} of one adapter ({@link JobCounter#perAdapter}). */
    public JobCounter counter(String adapter, String name) {
        return counter(JobCounter.perAdapter(adapter, name));
    }

    /** Writes every count into the checkpoint being taken. */
    public void snapshot() throws Exception {
        List<Tuple2<String, Long>> values = new ArrayList<>();
        counters.forEach((name, counter) -> values.add(Tuple2.of(name, counter.value())));
        state.update(values);
    }
}
