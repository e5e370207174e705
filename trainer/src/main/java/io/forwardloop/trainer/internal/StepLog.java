package io.forwardloop.trainer.internal;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.ZerothOrderStep;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.StepKind;
import io.forwardloop.trainer.AppliedStep;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** Reads and writes entries of the adapter step log ({@code adapter-steps}). */
public final class StepLog {
    private StepLog() {}

    /** A SNAPSHOT step: the full parameters at {@code version}. */
    public static AdapterStep snapshot(
            String adapter, long version, long baseVersion, AdapterParameters params) {
        return base(adapter, version, baseVersion, StepKind.SNAPSHOT, 0.0)
                .setSnapshot(ByteBuffer.wrap(params.toBytes()))
                .setParametersSha256(params.digest())
                .setSignalIds(List.of())
                .build();
    }

    /** A FORWARD_FORWARD step: the parameters after applying the pairs of {@code ids}. */
    public static AdapterStep forwardForward(
            String adapter,
            long version,
            long baseVersion,
            double learningRate,
            List<String> ids,
            AdapterParameters params) {
        return base(adapter, version, baseVersion, StepKind.FORWARD_FORWARD, learningRate)
                .setSnapshot(ByteBuffer.wrap(params.toBytes()))
                .setParametersSha256(params.digest())
                .setSignalIds(ids)
                .build();
    }

    /** A ZEROTH_ORDER step, with the digest of the parameters after it when known. */
    public static AdapterStep zerothOrder(String adapter, AppliedStep applied, String digest) {
        ZerothOrderStep step = applied.step();
        return base(
                        adapter,
                        applied.version(),
                        applied.baseVersion(),
                        StepKind.ZEROTH_ORDER,
                        step.learningRate())
                .setSeed(step.seed())
                .setProjectedGradient(step.projectedGradient())
                .setEpsilon((float) applied.epsilon())
                .setSignalIds(applied.signalIds())
                .setParametersSha256(digest)
                .build();
    }

    private static AdapterStep.Builder base(
            String adapter, long version, long baseVersion, StepKind kind, double rate) {
        return AdapterStep.newBuilder()
                .setAdapterName(adapter)
                .setVersion(version)
                .setBaseVersion(baseVersion)
                .setKind(kind)
                .setLearningRate(rate)
                .setTimestampMs(Instant.now());
    }

    /** The logged step as the trainer's own record. */
    public static AppliedStep applied(AdapterStep step) {
        double epsilon = step.getEpsilon() == null ? 0 : step.getEpsilon();
        return new AppliedStep(
                step.getVersion(),
                new ZerothOrderStep(
                        step.getSeed(), step.getProjectedGradient(), step.getLearningRate()),
                epsilon,
                step.getSignalIds());
    }

    /** The parameters a step carries in full. */
    public static AdapterParameters parameters(AdapterStep step) {
        ByteBuffer buffer = step.getSnapshot().duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return AdapterParameters.fromBytes(bytes);
    }

    /**
     * Feeds every committed step of {@code adapter} to {@code sink}, in log order, from the
     * beginning of {@code topic} to its end as of the call.
     */
    public static void readAll(
            KafkaConsumer<String, AdapterStep> consumer,
            String topic,
            String adapter,
            Consumer<AdapterStep> sink) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (!reached(consumer, end)) {
            for (ConsumerRecord<String, AdapterStep> record :
                    consumer.poll(Duration.ofMillis(200))) {
                if (adapter.equals(record.value().getAdapterName())) {
                    sink.accept(record.value());
                }
            }
        }
    }

    private static boolean reached(
            KafkaConsumer<String, AdapterStep> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }
}
