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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes zeroth-order signals (MeZO, Malladi et al. 2023; SPSA, Spall 1987) and Forward-Forward
 * examples from training examples, with adapter replicas kept from the broadcast step log.
 *
 * <p>Keyed by {@link ShardKey}: each key buffers the examples of one adapter shard (at most {@code
 * replayBufferSize}, the oldest dropped beyond it) until {@code batchSize} of them form a
 * mini-batch; for each mini-batch it emits {@code seedsPerBatch} signals, each the mean
 * cross-entropy of the batch at theta + eps z and theta - eps z, computed on the recycled
 * activations with the replica's parameters. Without a low-rank classifier replica the examples
 * wait; when a step advances the replica every waiting shard of that adapter is served at once.
 * Forward-Forward examples go to the side output {@link JobTypes#FF_EXAMPLES}.
 */
public final class SignalOperator
        extends KeyedBroadcastProcessFunction<
                String, LabeledExample, AdapterStep, ZeroOrderSignal> {
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

    private static final ListStateDescriptor<LabeledExample> BUFFER =
            new ListStateDescriptor<>("replay-buffer", JobTypes.LABELED_EXAMPLE);

    private final SignalSettings settings;

    private transient AdapterReplicas replicas;
    private transient boolean restored;
    private transient ListState<LabeledExample> buffer;
    private transient String producer;
    private transient JobCounter signalsOut;
    private transient JobCounter ffExamplesOut;
    private transient JobCounter stepsApplied;
    private transient JobCounter examplesDropped;

    public SignalOperator(SignalSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        replicas = new AdapterReplicas();
        buffer = getRuntimeContext().getListState(BUFFER);
        producer = "signal-job/" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        signalsOut = JobCounter.register(getRuntimeContext(), JobCounter.SIGNALS_OUT);
        ffExamplesOut = JobCounter.register(getRuntimeContext(), JobCounter.FF_EXAMPLES_OUT);
        stepsApplied = JobCounter.register(getRuntimeContext(), JobCounter.STEPS_APPLIED);
        examplesDropped = JobCounter.register(getRuntimeContext(), JobCounter.EXAMPLES_DROPPED);
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
            ffExamplesOut.increment();
            ctx.output(JobTypes.FF_EXAMPLES, ff);
        }
        if (example.getLabel() == null) {
            return;
        }
        buffer.add(example);
        serve(ctx.getCurrentKey(), buffer, now, out);
    }

    // a step of the log: advance the replica, then serve the shards that waited for it
    @Override
    public void processBroadcastElement(
            AdapterStep step, Context ctx, Collector<ZeroOrderSignal> out) throws Exception {
        restore(ctx.getBroadcastState(REPLICAS), ctx.getBroadcastState(PENDING_STEPS));
        String adapter = step.getAdapterName();
        int applied = replicas.offer(step);
        for (int i = 0; i < applied; i++) {
            stepsApplied.increment();
        }
        persist(adapter, ctx);
        if (applied > 0) {
            Instant now = Instant.ofEpochMilli(ctx.currentProcessingTime());
            ctx.applyToKeyedState(
                    BUFFER,
                    (key, state) -> {
                        if (ShardKey.adapterOf(key).equals(adapter)) {
                            serve(key, state, now, out);
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

    private void serve(
            String shardKey,
            ListState<LabeledExample> state,
            Instant now,
            Collector<ZeroOrderSignal> out)
            throws Exception {
        List<LabeledExample> examples = new ArrayList<>();
        state.get().forEach(examples::add);
        int excess = examples.size() - settings.replayBufferSize();
        if (excess > 0) {
            examples.subList(0, excess).clear();
            for (int i = 0; i < excess; i++) {
                examplesDropped.increment();
            }
        }
        String adapter = ShardKey.adapterOf(shardKey);
        Optional<AdapterReplicas.Replica> replica =
                replicas.get(adapter).filter(r -> isLowRank(r.parameters()));
        if (replica.isPresent()) {
            examples = emitBatches(shardKey, replica.get(), examples, now, out);
        }
        state.update(examples);
    }

    private List<LabeledExample> emitBatches(
            String shardKey,
            AdapterReplicas.Replica replica,
            List<LabeledExample> examples,
            Instant now,
            Collector<ZeroOrderSignal> out) {
        AdapterSpec spec = replica.parameters().spec();
        List<LabeledExample> usable = new ArrayList<>();
        for (LabeledExample example : examples) {
            if (fits(example, spec)) {
                usable.add(example);
            } else {
                examplesDropped.increment();
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
            emitSignals(shardKey, replica, usable.subList(start, start + b), now, out);
        }
        return new ArrayList<>(usable.subList(full, usable.size()));
    }

    private void emitSignals(
            String shardKey,
            AdapterReplicas.Replica replica,
            List<LabeledExample> batch,
            Instant now,
            Collector<ZeroOrderSignal> out) {
        String adapter = ShardKey.adapterOf(shardKey);
        List<String> ids = batch.stream().map(LabeledExample::getRequestId).toList();
        String digest = Hashing.batchDigest(ids);
        LabeledBatch labeled = toBatch(batch, replica.parameters().spec());
        float epsilon = (float) settings.epsilon();
        for (int i = 0; i < settings.seedsPerBatch(); i++) {
            long seed = Hashing.seed(adapter, replica.version(), shardKey, digest, i);
            PerturbationPair pair =
                    ZerothOrder.perturbationPair(replica.parameters(), labeled, seed, epsilon);
            out.collect(
                    signal(adapter, replica.version(), pair, epsilon, batch.size(), digest, now));
            signalsOut.increment();
        }
        LOG.debug(
                "Adapter {} version {}: {} signals for a batch of {} from {}",
                adapter,
                replica.version(),
                settings.seedsPerBatch(),
                batch.size(),
                shardKey);
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
