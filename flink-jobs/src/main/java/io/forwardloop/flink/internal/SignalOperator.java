package io.forwardloop.flink.internal;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.adapter.PerturbationPair;
import io.forwardloop.adapter.ZerothOrder;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.ForwardForwardExample;
import io.forwardloop.schemas.avro.LabeledExample;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes zeroth-order signals (MeZO, Malladi et al. 2023; SPSA, Spall 1987) and Forward-Forward
 * examples from training examples, with adapter replicas kept from the broadcast step log.
 *
 * <p>Keyed by {@link ShardKey}. Each key keeps two buffers of one adapter shard. The pending buffer
 * holds examples not yet trained on (at most {@code pendingBufferSize}, the oldest dropped beyond
 * it) until {@code batchSize} of them form a fresh mini-batch: consecutive examples in arrival
 * order, each example in exactly one fresh mini-batch. The replay buffer holds the last {@code
 * replayBufferSize} examples that were in a fresh mini-batch; after each fresh mini-batch {@code
 * replayBatches} replay mini-batches are drawn from it without replacement, by a counter-based hash
 * of the shard and the shard's count of fresh mini-batches, so the same input in the same order
 * gives the same signals. Every mini-batch, fresh or replay, gives {@code seedsPerBatch} signals,
 * each the mean cross-entropy of the batch at theta + eps z and theta - eps z, computed on the
 * recycled activations with the replica's current parameters, with the batch digest of its request
 * ids. Replay gives more signals per feedback event, measured at newer versions than the one the
 * fresh batch saw.
 *
 * <p>Without a low-rank classifier replica the examples wait; when a step advances the replica
 * every waiting shard of that adapter is served at once. Forward-Forward examples go to the side
 * output {@link JobTypes#FF_EXAMPLES}. Every example that reaches the operator is counted once:
 * trained (entered a fresh mini-batch), pending (waits in the pending buffer) or dropped (no true
 * label, does not fit the adapter, or pushed out of a full pending buffer). Every subtask applies
 * every step, and subtask 0 alone counts them ({@link JobCounter#STEPS_APPLIED}).
 */
public final class SignalOperator
        extends KeyedBroadcastProcessFunction<String, LabeledExample, AdapterStep, ZeroOrderSignal>
        implements CheckpointedFunction {
    private static final Logger LOG = LoggerFactory.getLogger(SignalOperator.class);

    /** Replica parameters per adapter: 8 bytes of version, then {@link AdapterParameters} bytes. */
    public static final MapStateDescriptor<String, byte[]> REPLICAS =
            new MapStateDescriptor<>(
                    "adapter-replicas",
                    Types.STRING,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Steps per adapter that wait for their predecessor. */
    public static final MapStateDescriptor<String, List<AdapterStep>> PENDING_STEPS =
            new MapStateDescriptor<>(
                    "pending-steps", Types.STRING, new ListTypeInfo<>(JobTypes.ADAPTER_STEP));

    private static final ListStateDescriptor<LabeledExample> PENDING =
            new ListStateDescriptor<>("pending-examples", JobTypes.LABELED_EXAMPLE);
    static final ListStateDescriptor<LabeledExample> REPLAY =
            new ListStateDescriptor<>("replay-buffer", JobTypes.LABELED_EXAMPLE);
    private static final ValueStateDescriptor<Long> FRESH_BATCHES =
            new ValueStateDescriptor<>("fresh-batches", Types.LONG);

    private final SignalSettings settings;

    private transient AdapterReplicas replicas;
    private transient boolean restored;
    private transient ListState<LabeledExample> pending;
    private transient ListState<LabeledExample> replay;
    private transient ValueState<Long> freshBatches;
    private transient String producer;
    private transient boolean countsSteps;
    private transient JobCounters counters;

    public SignalOperator(SignalSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        counters = new JobCounters(getRuntimeContext());
        counters.initialize(context);
        for (String name :
                List.of(
                        JobCounter.SIGNALS_OUT,
                        JobCounter.REPLAY_SIGNALS_OUT,
                        JobCounter.FF_EXAMPLES_OUT,
                        JobCounter.STEPS_APPLIED,
                        JobCounter.EXAMPLES_TRAINED,
                        JobCounter.EXAMPLES_PENDING,
                        JobCounter.EXAMPLES_DROPPED,
                        JobCounter.EXAMPLES_DROPPED_NO_LABEL,
                        JobCounter.EXAMPLES_DROPPED_UNFIT,
                        JobCounter.EXAMPLES_DROPPED_OVERFLOW)) {
            counters.counter(name);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        counters.snapshot();
    }

    @Override
    public void open(OpenContext openContext) {
        replicas = new AdapterReplicas();
        pending = getRuntimeContext().getListState(PENDING);
        replay = getRuntimeContext().getListState(REPLAY);
        freshBatches = getRuntimeContext().getState(FRESH_BATCHES);
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        producer = "signal-job/" + subtask;
        countsSteps = subtask == 0;
    }

    // a training example: Forward-Forward examples now, signals once a mini-batch is full
    @Override
    public void processElement(
            LabeledExample example, ReadOnlyContext ctx, Collector<ZeroOrderSignal> out)
            throws Exception {
        restore(ctx.getBroadcastState(REPLICAS), ctx.getBroadcastState(PENDING_STEPS));
        Instant now = Instant.ofEpochMilli(ctx.currentProcessingTime());
        Optional<AdapterReplicas.Replica> replica = replicas.get(example.getAdapterName());
        for (ForwardForwardExample ff : ForwardForwardExamples.of(example, replica, now)) {
            counters.counter(JobCounter.FF_EXAMPLES_OUT).increment();
            ctx.output(JobTypes.FF_EXAMPLES, ff);
        }
        if (example.getLabel() == null) {
            dropped(example.getAdapterName(), JobCounter.EXAMPLES_DROPPED_NO_LABEL, 1);
            return;
        }
        pending.add(example);
        pendingChanged(example.getAdapterName(), 1);
        serve(ctx.getCurrentKey(), now, out);
    }

    // a step of the log: advance the replica, then serve the shards that waited for it
    @Override
    public void processBroadcastElement(
            AdapterStep step, Context ctx, Collector<ZeroOrderSignal> out) throws Exception {
        restore(ctx.getBroadcastState(REPLICAS), ctx.getBroadcastState(PENDING_STEPS));
        String adapter = step.getAdapterName();
        int applied = replicas.offer(step);
        if (countsSteps) {
            counters.counter(JobCounter.STEPS_APPLIED).add(applied);
        }
        persist(adapter, ctx);
        if (applied > 0) {
            Instant now = Instant.ofEpochMilli(ctx.currentProcessingTime());
            // the backend sets each key as the current one, so the keyed state handles of this
            // function read and write that key's buffers
            ctx.applyToKeyedState(
                    PENDING,
                    (key, state) -> {
                        if (ShardKey.adapterOf(key).equals(adapter)) {
                            serve(key, now, out);
                        }
                    });
        }
    }

    private void persist(String adapter, Context ctx) throws Exception {
        Optional<AdapterReplicas.Replica> replica = replicas.get(adapter);
        if (replica.isPresent()) {
            ctx.getBroadcastState(REPLICAS).put(adapter, encode(replica.get()));
        } else {
            ctx.getBroadcastState(REPLICAS).remove(adapter);
        }
        ctx.getBroadcastState(PENDING_STEPS).put(adapter, replicas.pending(adapter));
    }

    private void restore(
            ReadOnlyBroadcastState<String, byte[]> saved,
            ReadOnlyBroadcastState<String, List<AdapterStep>> waiting)
            throws Exception {
        if (restored) {
            return;
        }
        restored = true;
        for (Map.Entry<String, byte[]> entry : saved.immutableEntries()) {
            replicas.put(entry.getKey(), decode(entry.getValue()));
        }
        for (Map.Entry<String, List<AdapterStep>> entry : waiting.immutableEntries()) {
            entry.getValue().forEach(replicas::offer);
        }
    }

    // the current key's pending examples: drop beyond the bound, emit the full batches
    private void serve(String shardKey, Instant now, Collector<ZeroOrderSignal> out)
            throws Exception {
        String adapter = ShardKey.adapterOf(shardKey);
        List<LabeledExample> examples = new ArrayList<>();
        pending.get().forEach(examples::add);
        int excess = examples.size() - settings.pendingBufferSize();
        if (excess > 0) {
            examples.subList(0, excess).clear();
            dropped(adapter, JobCounter.EXAMPLES_DROPPED_OVERFLOW, excess);
            pendingChanged(adapter, -excess);
        }
        Optional<AdapterReplicas.Replica> replica =
                replicas.get(adapter).filter(r -> isLowRank(r.parameters()));
        if (replica.isPresent()) {
            examples = emitBatches(shardKey, replica.get(), examples, now, out);
        }
        pending.update(examples);
    }

    private List<LabeledExample> emitBatches(
            String shardKey,
            AdapterReplicas.Replica replica,
            List<LabeledExample> examples,
            Instant now,
            Collector<ZeroOrderSignal> out)
            throws Exception {
        String adapter = ShardKey.adapterOf(shardKey);
        AdapterSpec spec = replica.parameters().spec();
        List<LabeledExample> usable = new ArrayList<>();
        for (LabeledExample example : examples) {
            if (fits(example, spec)) {
                usable.add(example);
            } else {
                dropped(adapter, JobCounter.EXAMPLES_DROPPED_UNFIT, 1);
                pendingChanged(adapter, -1);
                LOG.debug(
                        "Example {} does not fit adapter {} (labels {}, input width {}); dropped",
                        example.getRequestId(),
                        example.getAdapterName(),
                        spec.labels(),
                        spec.inputDim());
            }
        }
        int b = settings.batchSize();
        int full = usable.size() / b * b;
        for (int start = 0; start < full; start += b) {
            List<LabeledExample> batch = usable.subList(start, start + b);
            emitSignals(shardKey, replica, batch, -1, -1, now, out);
            counters.counter(JobCounter.EXAMPLES_TRAINED).add(b);
            counters.counter(adapter, JobCounter.EXAMPLES_TRAINED).add(b);
            pendingChanged(adapter, -b);
            replayAfter(shardKey, replica, batch, now, out);
        }
        return new ArrayList<>(usable.subList(full, usable.size()));
    }

    // keeps the fresh batch for replay, then draws the replay batches from the buffer
    private void replayAfter(
            String shardKey,
            AdapterReplicas.Replica replica,
            List<LabeledExample> fresh,
            Instant now,
            Collector<ZeroOrderSignal> out)
            throws Exception {
        if (settings.replayBatches() == 0) {
            return;
        }
        List<LabeledExample> buffer = new ArrayList<>();
        replay.get().forEach(buffer::add);
        buffer.addAll(fresh);
        int evict = buffer.size() - settings.replayBufferSize();
        if (evict > 0) {
            buffer.subList(0, evict).clear();
        }
        replay.update(buffer);
        Long done = freshBatches.value();
        long counter = done == null ? 0 : done;
        freshBatches.update(counter + 1);

        AdapterSpec spec = replica.parameters().spec();
        List<LabeledExample> usable = buffer.stream().filter(e -> fits(e, spec)).toList();
        if (usable.size() < settings.batchSize()) {
            return;
        }
        for (int r = 0; r < settings.replayBatches(); r++) {
            List<LabeledExample> batch = draw(usable, shardKey, counter, r);
            emitSignals(shardKey, replica, batch, counter, r, now, out);
        }
    }

    // a partial Fisher-Yates shuffle driven by counter-based hashes: batchSize distinct examples
    private List<LabeledExample> draw(
            List<LabeledExample> usable, String shardKey, long counter, int number) {
        List<LabeledExample> pool = new ArrayList<>(usable);
        int b = settings.batchSize();
        for (int i = 0; i < b; i++) {
            int j = i + Hashing.replayDraw(shardKey, counter, number, i, pool.size() - i);
            Collections.swap(pool, i, j);
        }
        return pool.subList(0, b);
    }

    /**
     * Emits the signals of one mini-batch: a fresh one when {@code replay} is negative, else replay
     * mini-batch {@code replay} after fresh mini-batch {@code counter}.
     */
    private void emitSignals(
            String shardKey,
            AdapterReplicas.Replica replica,
            List<LabeledExample> batch,
            long counter,
            int number,
            Instant now,
            Collector<ZeroOrderSignal> out) {
        boolean fresh = number < 0;
        String adapter = ShardKey.adapterOf(shardKey);
        List<String> ids = batch.stream().map(LabeledExample::getRequestId).toList();
        String digest = Hashing.batchDigest(ids);
        LabeledBatch labeled = toBatch(batch, replica.parameters().spec());
        float epsilon = (float) settings.epsilon();
        long version = replica.version();
        for (int i = 0; i < settings.seedsPerBatch(); i++) {
            long seed =
                    fresh
                            ? Hashing.seed(adapter, version, shardKey, digest, i)
                            : Hashing.replaySeed(
                                    adapter, version, shardKey, digest, counter, number, i);
            PerturbationPair pair =
                    ZerothOrder.perturbationPair(replica.parameters(), labeled, seed, epsilon);
            out.collect(signal(adapter, version, pair, epsilon, batch.size(), digest, now));
            counters.counter(JobCounter.SIGNALS_OUT).increment();
            if (!fresh) {
                counters.counter(JobCounter.REPLAY_SIGNALS_OUT).increment();
            }
        }
        LOG.debug(
                "Adapter {} version {}: {} signals for a {} batch of {} from {}",
                adapter,
                version,
                settings.seedsPerBatch(),
                fresh ? "fresh" : "replay",
                batch.size(),
                shardKey);
    }

    private void pendingChanged(String adapter, long delta) {
        counters.counter(JobCounter.EXAMPLES_PENDING).add(delta);
        counters.counter(adapter, JobCounter.EXAMPLES_PENDING).add(delta);
    }

    private void dropped(String adapter, String reason, long count) {
        counters.counter(JobCounter.EXAMPLES_DROPPED).add(count);
        counters.counter(reason).add(count);
        LOG.trace("Adapter {}: {} examples dropped ({})", adapter, count, reason);
    }

    private ZeroOrderSignal signal(
            String adapter,
            long version,
            PerturbationPair pair,
            float epsilon,
            int batchSize,
            String digest,
            Instant now) {
        return ZeroOrderSignal.newBuilder()
                .setSignalId(Hashing.signalId(adapter, version, pair.seed()))
                .setAdapterName(adapter)
                .setBaseVersion(version)
                .setSeed(pair.seed())
                .setEpsilon(epsilon)
                .setLossPlus(pair.lossPlus())
                .setLossMinus(pair.lossMinus())
                .setBatchSize(batchSize)
                .setBatchDigest(digest)
                .setCreatedMs(now)
                .setProducer(producer)
                .build();
    }

    private static LabeledBatch toBatch(List<LabeledExample> batch, AdapterSpec spec) {
        float[][] activations = new float[batch.size()][];
        int[] labels = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            activations[i] = Activations.toArray(batch.get(i).getActivation());
            labels[i] = spec.labels().indexOf(batch.get(i).getLabel());
        }
        return new LabeledBatch(activations, labels);
    }

    private static boolean fits(LabeledExample example, AdapterSpec spec) {
        return spec.labels().contains(example.getLabel())
                && example.getActivation().size() == spec.inputDim();
    }

    private static boolean isLowRank(AdapterParameters params) {
        return params.spec().kind() == AdapterKind.LOW_RANK_CLASSIFIER;
    }

    private static byte[] encode(AdapterReplicas.Replica replica) {
        byte[] params = replica.parameters().toBytes();
        return ByteBuffer.allocate(Long.BYTES + params.length)
                .putLong(replica.version())
                .put(params)
                .array();
    }

    private static AdapterReplicas.Replica decode(byte[] bytes) {
        long version = ByteBuffer.wrap(bytes).getLong();
        byte[] params = Arrays.copyOfRange(bytes, Long.BYTES, bytes.length);
        return new AdapterReplicas.Replica(version, AdapterParameters.fromBytes(params));
    }
}
