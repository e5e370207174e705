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
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
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
        SignalSettings settings =
                new SignalSettings(BATCH, SEEDS, EPSILON, 6, 1, 60_000L, 600_000L, 0.0);
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new SignalOperator(settings),
                        new ShardKey(1),
                        JobTypes.STRING,
                        SignalOperator.REPLICAS,
                        SignalOperator.PENDING_STEPS);
        harness.open();
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
    void shouldDropTheOldestExamplesBeyondTheReplayBuffer() throws Exception {
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
