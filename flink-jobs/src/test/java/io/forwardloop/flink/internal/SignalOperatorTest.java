package io.forwardloop.flink.internal;

import static io.forwardloop.flink.Fixtures.ADAPTER;
import static io.forwardloop.flink.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.adapter.PerturbationPair;
import io.forwardloop.adapter.ZerothOrder;
import io.forwardloop.flink.Fixtures;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.ExampleReason;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.ForwardForwardExample;
import io.forwardloop.schemas.avro.LabeledExample;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SignalOperatorTest {
    private static final int BATCH = 4;
    private static final int SEEDS = 3;
    private static final double EPSILON = 1e-3;

    private KeyedBroadcastOperatorTestHarness<String, LabeledExample, AdapterStep, ZeroOrderSignal>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness(0, 8, 0, 1);
    }

    private static KeyedBroadcastOperatorTestHarness<
                    String, LabeledExample, AdapterStep, ZeroOrderSignal>
            harness(int replayBatches, int replayBuffer, int subtask, int subtasks)
                    throws Exception {
        return harness(replayBatches, replayBuffer, subtask, subtasks, null);
    }

    /** A harness with one shard and a pending buffer of 6, restored from {@code checkpoint}. */
    private static KeyedBroadcastOperatorTestHarness<
                    String, LabeledExample, AdapterStep, ZeroOrderSignal>
            harness(
                    int replayBatches,
                    int replayBuffer,
                    int subtask,
                    int subtasks,
                    OperatorSubtaskState checkpoint)
                    throws Exception {
        SignalSettings settings =
                new SignalSettings(
                        BATCH,
                        SEEDS,
                        EPSILON,
                        replayBuffer,
                        replayBatches,
                        6,
                        1,
                        60_000L,
                        600_000L,
                        6_000_000L,
                        0.0);
        var operator =
                new CoBroadcastWithKeyedOperator<>(
                        new SignalOperator(settings),
                        List.of(SignalOperator.REPLICAS, SignalOperator.PENDING_STEPS));
        var harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        operator, new ShardKey(1), JobTypes.STRING, 8, subtasks, subtask);
        if (checkpoint != null) {
            harness.initializeState(checkpoint);
        }
        harness.open();
        return harness;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void shouldHoldTheTrainersParametersBitForBitAtTheSameVersion() throws Exception {
        AdapterParameters trainer = Fixtures.base();
        List<AdapterStep> log = new ArrayList<>(List.of(Fixtures.snapshot(trainer, 1)));
        Random random = new Random(3);
        for (long version = 2; version <= 9; version++) {
            long seed = random.nextLong();
            double gradient = random.nextGaussian();
            ZerothOrder.applyStep(trainer, seed, gradient, 0.05);
            log.add(Fixtures.zerothOrder(version, seed, gradient, 0.05));
        }
        // the log arrives out of order; gaps are waited for
        for (int i : new int[] {3, 0, 2, 1, 8, 5, 4, 7, 6}) {
            harness.processBroadcastElement(log.get(i), T0);
        }

        AdapterReplicas.Replica replica = replica();
        assertThat(replica.version()).isEqualTo(9L);
        assertThat(replica.parameters().digest()).isEqualTo(trainer.digest());
        assertThat(replica.parameters().contentEquals(trainer)).isTrue();
    }

    @Test
    void shouldWaitAtAGapInTheStepLog() throws Exception {
        AdapterParameters base = Fixtures.base();
        harness.processBroadcastElement(Fixtures.snapshot(base, 1), T0);
        harness.processBroadcastElement(Fixtures.zerothOrder(3, 11L, 0.5, 0.1), T0);

        assertThat(replica().version()).isEqualTo(1L);
        assertThat(harness.getBroadcastState(SignalOperator.PENDING_STEPS).get(ADAPTER))
                .extracting(AdapterStep::getVersion)
                .containsExactly(3L);
    }

    @Test
    void shouldBufferExamplesUntilTheFirstSnapshot() throws Exception {
        List<LabeledExample> examples = examples(BATCH);
        for (LabeledExample example : examples) {
            harness.processElement(example, T0);
        }
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processBroadcastElement(Fixtures.snapshot(Fixtures.base(), 1), T0);

        assertThat(harness.extractOutputValues()).hasSize(SEEDS);
    }

    @Test
    void shouldComputeTheLossesOnTheRecycledActivationsWithTheReplica() throws Exception {
        AdapterParameters base = Fixtures.base();
        harness.processBroadcastElement(Fixtures.snapshot(base, 1), T0);
        List<LabeledExample> examples = examples(BATCH);
        for (LabeledExample example : examples) {
            harness.processElement(example, T0);
        }

        List<ZeroOrderSignal> signals = harness.extractOutputValues();
        assertThat(signals).hasSize(SEEDS);
        String digest =
                Hashing.batchDigest(examples.stream().map(LabeledExample::getRequestId).toList());
        for (ZeroOrderSignal signal : signals) {
            PerturbationPair expected =
                    ZerothOrder.perturbationPair(
                            base, batch(examples), signal.getSeed(), (float) EPSILON);
            assertThat(signal.getLossPlus()).isEqualTo(expected.lossPlus());
            assertThat(signal.getLossMinus()).isEqualTo(expected.lossMinus());
            assertThat(signal.getBaseVersion()).isEqualTo(1L);
            assertThat(signal.getBatchSize()).isEqualTo(BATCH);
            assertThat(signal.getBatchDigest()).isEqualTo(digest);
        }
        assertThat(signals).extracting(ZeroOrderSignal::getSeed).doesNotHaveDuplicates();
    }

    @Test
    void shouldEmitAPositiveAndARejectedNegative() throws Exception {
        LabeledExample rejected = examples(1).get(0);
        rejected.setRejectedLabel("positive");
        rejected.setLabel("negative");
        harness.processElement(rejected, T0);

        List<ForwardForwardExample> ff =
                harness.getSideOutput(JobTypes.FF_EXAMPLES).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(ff)
                .extracting(ForwardForwardExample::getLabel, ForwardForwardExample::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("negative", ExampleReason.TRUE_LABEL),
                        org.assertj.core.groups.Tuple.tuple(
                                "positive", ExampleReason.REJECTED_LABEL));
    }

    @Test
    void shouldDropTheOldestExamplesBeyondThePendingBuffer() throws Exception {
        for (LabeledExample example : examples(9)) {
            harness.processElement(example, T0);
        }
        harness.processBroadcastElement(Fixtures.snapshot(Fixtures.base(), 1), T0);

        List<ZeroOrderSignal> signals = harness.extractOutputValues();
        List<String> kept =
                examples(9).subList(3, 7).stream().map(LabeledExample::getRequestId).toList();
        assertThat(signals)
                .hasSize(SEEDS)
                .allMatch(s -> s.getBatchDigest().equals(Hashing.batchDigest(kept)));
        assertThat(count(JobCounter.EXAMPLES_DROPPED_OVERFLOW)).isEqualTo(3);
        assertThat(count(JobCounter.EXAMPLES_TRAINED)).isEqualTo(4);
        assertThat(count(JobCounter.EXAMPLES_PENDING)).isEqualTo(2);
    }

    @Test
    void shouldReproduceTheFreshBatchesExactlyWithReplayOff() throws Exception {
        AdapterParameters base = Fixtures.base();
        harness.processBroadcastElement(Fixtures.snapshot(base, 1), T0);
        List<LabeledExample> examples = examples(3 * BATCH + 1);
        for (LabeledExample example : examples) {
            harness.processElement(example, T0);
        }

        // each batch: consecutive examples, seeds from the batch digest, losses at version 1
        List<List<Object>> expected = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            List<LabeledExample> batch = examples.subList(b * BATCH, (b + 1) * BATCH);
            String digest = Hashing.batchDigest(ids(batch));
            for (int i = 0; i < SEEDS; i++) {
                long seed = Hashing.seed(ADAPTER, 1, ADAPTER + "#0", digest, i);
                PerturbationPair pair =
                        ZerothOrder.perturbationPair(base, batch(batch), seed, (float) EPSILON);
                expected.add(
                        List.of(
                                Hashing.signalId(ADAPTER, 1, seed),
                                ADAPTER,
                                1L,
                                seed,
                                (float) EPSILON,
                                pair.lossPlus(),
                                pair.lossMinus(),
                                BATCH,
                                digest,
                                "signal-job/0"));
            }
        }
        assertThat(views(harness.extractOutputValues())).containsExactlyElementsOf(expected);
        assertThat(count(JobCounter.REPLAY_SIGNALS_OUT)).isZero();
        assertThat(count(JobCounter.EXAMPLES_TRAINED)).isEqualTo(3 * BATCH);
        assertThat(count(JobCounter.EXAMPLES_PENDING)).isEqualTo(1);
        assertThat(replayBuffer()).isEmpty();
    }

    @Test
    void shouldDrawReplayBatchesOfDistinctTrainedExamplesAfterEachFreshBatch() throws Exception {
        harness.close();
        harness = harness(2, 8, 0, 1);
        harness.processBroadcastElement(Fixtures.snapshot(Fixtures.base(), 1), T0);
        List<LabeledExample> examples = examples(3 * BATCH);
        for (LabeledExample example : examples) {
            harness.processElement(example, T0);
        }

        // per fresh batch: its signals, then two replay batches' signals
        List<ZeroOrderSignal> signals = harness.extractOutputValues();
        assertThat(signals).hasSize(3 * 3 * SEEDS);
        for (int b = 0; b < 3; b++) {
            List<ZeroOrderSignal> round = signals.subList(b * 3 * SEEDS, (b + 1) * 3 * SEEDS);
            String fresh = Hashing.batchDigest(ids(examples.subList(b * BATCH, (b + 1) * BATCH)));
            assertThat(round.subList(0, SEEDS)).allMatch(s -> s.getBatchDigest().equals(fresh));
            List<String> trained = ids(examples.subList(0, (b + 1) * BATCH));
            for (int r = 0; r < 2; r++) {
                List<ZeroOrderSignal> replay = round.subList((1 + r) * SEEDS, (2 + r) * SEEDS);
                assertThat(replay)
                        .extracting(ZeroOrderSignal::getBatchDigest)
                        .containsOnly(replay.get(0).getBatchDigest());
                assertThat(orderedSubsetsOf(trained, BATCH))
                        .contains(replay.get(0).getBatchDigest());
            }
        }
        assertThat(signals).extracting(ZeroOrderSignal::getSignalId).doesNotHaveDuplicates();
        assertThat(count(JobCounter.REPLAY_SIGNALS_OUT)).isEqualTo(3 * 2 * SEEDS);
        assertThat(count(JobCounter.SIGNALS_OUT)).isEqualTo(signals.size());
        assertThat(count(JobCounter.EXAMPLES_TRAINED)).isEqualTo(3 * BATCH);
    }

    @Test
    void shouldKeepOnlyTheNewestExamplesInTheReplayBuffer() throws Exception {
        harness.close();
        harness = harness(1, 8, 0, 1);
        harness.processBroadcastElement(Fixtures.snapshot(Fixtures.base(), 1), T0);
        List<LabeledExample> examples = examples(10 * BATCH);
        for (LabeledExample example : examples) {
            harness.processElement(example, T0);
            assertThat(replayBuffer()).hasSizeLessThanOrEqualTo(8);
        }

        assertThat(replayBuffer())
                .extracting(LabeledExample::getRequestId)
                .containsExactlyElementsOf(ids(examples.subList(8 * BATCH, 10 * BATCH)));
        // the last replay batch draws from those 8 only
        List<ZeroOrderSignal> signals = harness.extractOutputValues();
        assertThat(orderedSubsetsOf(ids(examples.subList(8 * BATCH, 10 * BATCH)), BATCH))
                .contains(signals.get(signals.size() - 1).getBatchDigest());
    }

    @Test
    void shouldDrawTheSameReplayBatchesOnEveryRun() throws Exception {
        List<List<ZeroOrderSignal>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            var replaying = harness(3, 12, 0, 1);
            replaying.processBroadcastElement(Fixtures.snapshot(Fixtures.base(), 1), T0);
            for (LabeledExample example : examples(6 * BATCH)) {
                replaying.processElement(example, T0);
            }
            runs.add(replaying.extractOutputValues());
            replaying.close();
        }

        assertThat(runs.get(0)).hasSize(6 * 4 * SEEDS);
        assertThat(views(runs.get(1))).containsExactlyElementsOf(views(runs.get(0)));
    }

    @Test
    void shouldMeasureReplayBatchesAtTheReplicasCurrentVersion() throws Exception {
        harness.close();
        harness = harness(1, 8, 0, 1);
        AdapterParameters base = Fixtures.base();
        harness.processBroadcastElement(Fixtures.snapshot(base, 1), T0);
        List<LabeledExample> examples = examples(2 * BATCH);
        examples.subList(0, BATCH).forEach(this::process);
        harness.processBroadcastElement(Fixtures.zerothOrder(2, 99L, 0.5, 0.1), T0);
        examples.subList(BATCH, 2 * BATCH).forEach(this::process);

        List<ZeroOrderSignal> signals = harness.extractOutputValues();
        assertThat(signals.subList(0, 2 * SEEDS)).allMatch(s -> s.getBaseVersion() == 1L);
        assertThat(signals.subList(2 * SEEDS, 4 * SEEDS)).allMatch(s -> s.getBaseVersion() == 2L);
        AdapterParameters atVersion2 = base.copy();
        ZerothOrder.applyStep(atVersion2, 99L, 0.5, 0.1);
        ZeroOrderSignal replay = signals.get(3 * SEEDS);
        List<LabeledExample> drawn = orderedSubsetsOf(examples, BATCH, replay.getBatchDigest());
        PerturbationPair expected =
                ZerothOrder.perturbationPair(
                        atVersion2, batch(drawn), replay.getSeed(), (float) EPSILON);
        assertThat(replay.getLossPlus()).isEqualTo(expected.lossPlus());
        assertThat(replay.getLossMinus()).isEqualTo(expected.lossMinus());
    }

    @Test
    void shouldCountStepsOnTheFirstSubtaskOnly() throws Exception {
        var second = harness(0, 8, 1, 2);
        for (var subtask : List.of(harness, second)) {
            subtask.processBroadcastElement(Fixtures.snapshot(Fixtures.base(), 1), T0);
            subtask.processBroadcastElement(Fixtures.zerothOrder(2, 5L, 0.1, 0.1), T0);
        }

        assertThat(count(harness, JobCounter.STEPS_APPLIED)).isEqualTo(2);
        assertThat(count(second, JobCounter.STEPS_APPLIED)).isZero();
        second.close();
    }

    @Test
    void shouldCountTrainedExamplesPerAdapterAndRestoreTheCountsFromACheckpoint() throws Exception {
        harness.processBroadcastElement(Fixtures.snapshot(Fixtures.base(), 1), T0);
        examples(BATCH + 2).forEach(this::process);
        OperatorSubtaskState checkpoint = harness.snapshot(1L, T0);
        harness.close();

        harness = harness(0, 8, 0, 1, checkpoint);

        assertThat(count(JobCounter.perAdapter(ADAPTER, JobCounter.EXAMPLES_TRAINED)))
                .isEqualTo(BATCH);
        assertThat(count(JobCounter.perAdapter(ADAPTER, JobCounter.EXAMPLES_PENDING))).isEqualTo(2);
        assertThat(count(JobCounter.SIGNALS_OUT)).isEqualTo(SEEDS);
    }

    private void process(LabeledExample example) {
        try {
            harness.processElement(example, T0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String name) {
        return count(harness, name);
    }

    private static long count(AbstractStreamOperatorTestHarness<?> of, String name) {
        Accumulator<?, ?> counter =
                of.getEnvironment().getAccumulatorRegistry().getUserMap().get(name);
        return counter == null ? 0 : ((LongCounter) counter).getLocalValuePrimitive();
    }

    private List<LabeledExample> replayBuffer() throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(ADAPTER + "#0");
        ListState<LabeledExample> state =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        SignalOperator.REPLAY);
        List<LabeledExample> buffer = new ArrayList<>();
        Iterable<LabeledExample> values = state.get();
        if (values != null) {
            values.forEach(buffer::add);
        }
        return buffer;
    }

    // the fields of a signal that do not depend on the clock
    private static List<List<Object>> views(List<ZeroOrderSignal> signals) {
        return signals.stream()
                .map(
                        s ->
                                List.<Object>of(
                                        s.getSignalId().toString(),
                                        s.getAdapterName().toString(),
                                        s.getBaseVersion(),
                                        s.getSeed(),
                                        s.getEpsilon(),
                                        s.getLossPlus(),
                                        s.getLossMinus(),
                                        s.getBatchSize(),
                                        s.getBatchDigest().toString(),
                                        s.getProducer().toString()))
                .toList();
    }

    private static List<String> ids(List<LabeledExample> examples) {
        return examples.stream().map(LabeledExample::getRequestId).toList();
    }

    /** The digests of every ordered choice of {@code size} distinct ids. */
    private static Set<String> orderedSubsetsOf(List<String> ids, int size) {
        Set<String> digests = new HashSet<>();
        choose(ids, size, new ArrayList<>(), digests);
        return digests;
    }

    private static void choose(
            List<String> ids, int size, List<String> chosen, Set<String> digests) {
        if (chosen.size() == size) {
            digests.add(Hashing.batchDigest(chosen));
            return;
        }
        for (String id : ids) {
            if (!chosen.contains(id)) {
                chosen.add(id);
                choose(ids, size, chosen, digests);
                chosen.remove(chosen.size() - 1);
            }
        }
    }

    /** The ordered choice of {@code size} examples whose digest is {@code digest}. */
    private static List<LabeledExample> orderedSubsetsOf(
            List<LabeledExample> examples, int size, String digest) {
        List<LabeledExample> found = new ArrayList<>();
        if (!find(examples, size, new ArrayList<>(), digest, found)) {
            throw new AssertionError("no ordered choice of the examples has digest " + digest);
        }
        return found;
    }

    private static boolean find(
            List<LabeledExample> examples,
            int size,
            List<LabeledExample> chosen,
            String digest,
            List<LabeledExample> found) {
        if (chosen.size() == size) {
            if (Hashing.batchDigest(ids(chosen)).equals(digest)) {
                found.addAll(chosen);
                return true;
            }
            return false;
        }
        for (LabeledExample example : examples) {
            if (!chosen.contains(example)) {
                chosen.add(example);
                if (find(examples, size, chosen, digest, found)) {
                    return true;
                }
                chosen.remove(chosen.size() - 1);
            }
        }
        return false;
    }

    private AdapterReplicas.Replica replica() throws Exception {
        byte[] bytes = harness.getBroadcastState(SignalOperator.REPLICAS).get(ADAPTER);
        long version = ByteBuffer.wrap(bytes).getLong();
        return new AdapterReplicas.Replica(
                version,
                AdapterParameters.fromBytes(Arrays.copyOfRange(bytes, Long.BYTES, bytes.length)));
    }

    private static List<LabeledExample> examples(int count) {
        List<LabeledExample> examples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            var record = Fixtures.record("req-" + i, T0);
            var feedback =
                    Fixtures.feedback(
                            "f-" + i,
                            "req-" + i,
                            i % 2 == 0 ? FeedbackKind.ACCEPT : FeedbackKind.REJECT,
                            null,
                            T0);
            examples.add(ExampleLabels.label(record, feedback).example());
        }
        return examples;
    }

    private static LabeledBatch batch(List<LabeledExample> examples) {
        float[][] activations = new float[examples.size()][];
        int[] labels = new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            activations[i] = Activations.toArray(examples.get(i).getActivation());
            labels[i] = Fixtures.LABELS.indexOf(examples.get(i).getLabel());
        }
        return new LabeledBatch(activations, labels);
    }
}
