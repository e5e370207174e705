package io.forwardloop.replay;

import io.forwardloop.flink.JsonRecords;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.replay.internal.Json;
import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.serde.AvroSerde;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the records of a Kafka topic whose timestamps fall in [start, end) into a JSONL file in
 * the work directory, resumably, so that both replay modes read Kafka history like files.
 *
 * <p>Per partition the range is fixed once with {@code offsetsForTimes}: from the first offset at
 * or after {@code start} to the first at or after {@code end} (the end offset when there is none),
 * and stored in {@code kafka-range/export-checkpoint.json}; records inside whose timestamp lies
 * outside the range (producer timestamps need not grow) are skipped. After every poll the file is
 * forced to disk before the checkpoint records its length and the next offset of the partition; a
 * resumed export truncates the file to that length and goes on from there, so the file holds each
 * record of the range exactly once. Partitions are copied one after another, in order; the progress
 * is told in offsets of the range.
 */
public final class KafkaRangeExport {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRangeExport.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Instant start;
    private final Instant end;
    private final Path directory;
    private final ClusterConnection connection;

    /**
     * The stored state of an export.
     *
     * @param start the range's start
     * @param end the range's end, exclusive
     * @param topics each topic's progress, by name
     */
    public record State(String start, String end, Map<String, TopicState> topics) {}

    /**
     * One topic's progress.
     *
     * @param partitions each partition's range and next offset
     * @param bytes the length of the file written so far
     * @param records records written so far
     * @param complete whether every partition was copied
     */
    public record TopicState(
            Map<Integer, PartitionRange> partitions, long bytes, long records, boolean complete) {}

    /**
     * A partition's range.
     *
     * @param from the first offset
     * @param to the offset after the last
     * @param next the next offset to copy
     */
    public record PartitionRange(long from, long to, long next) {}

    /** An export of [start, end) into {@code workDir/kafka-range}. */
    public KafkaRangeExport(
            Instant start, Instant end, Path workDir, ClusterConnection connection) {
        if (!start.isBefore(end)) {
            throw new ReplayException(
                    "--start " + start + " must be before --end " + end + "; give a time range");
        }
        this.start = start;
        this.end = end;
        this.directory = workDir.resolve("kafka-range");
        this.connection = connection;
    }

    /** Copies the range of {@code topic} and returns the JSONL file holding it. */
    public <T extends SpecificRecordBase> Path export(Topic<String, T> topic) {
        return export(topic, ReplayProgress.NONE);
    }

    /**
     * Copies the range of {@code topic}, telling {@code listener} the offsets of the range in all
     * and those copied (earlier runs included), and returns the JSONL file holding it.
     */
    public <T extends SpecificRecordBase> Path export(
            Topic<String, T> topic, ReplayProgress listener) {
        Path checkpointFile = directory.resolve("export-checkpoint.json");
        State state = load(checkpointFile);
        Path file = directory.resolve(topic.name() + ".jsonl");
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                AvroSerde<T> serde = topic.valueSerde(connection.serdeConfig())) {
            TopicState progress = state.topics().get(topic.name());
            if (progress == null) {
                progress = new TopicState(ranges(consumer, topic.name()), 0, 0, false);
                state.topics().put(topic.name(), progress);
                Json.writeAtomically(checkpointFile, state);
            }
            listener.started(
                    offsets(progress, PartitionRange::to), offsets(progress, PartitionRange::next));
            if (!progress.complete()) {
                copy(consumer, serde, topic.name(), file, state, checkpointFile, listener);
            }
            LOG.info(
                    "Exported {} records of {} between {} and {} to {}",
                    state.topics().get(topic.name()).records(),
                    topic.name(),
                    start,
                    end,
                    file);
            return file;
        }
    }

    private State load(Path checkpointFile) {
        if (!Files.exists(checkpointFile)) {
            return new State(start.toString(), end.toString(), new TreeMap<>());
        }
        State stored = Json.read(checkpointFile, State.class);
        if (!stored.start().equals(start.toString()) || !stored.end().equals(end.toString())) {
            throw new ReplayException(
                    "work dir "
                            + directory.getParent()
                            + " holds an export of "
                            + stored.start()
                            + " to "
                            + stored.end()
                            + ", not "
                            + start
                            + " to "
                            + end
                            + "; use another --work-dir");
        }
        return new State(stored.start(), stored.end(), new TreeMap<>(stored.topics()));
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = connection.kafkaProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "forwardloop-replay-export");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Map<Integer, PartitionRange> ranges(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        if (partitions.isEmpty()) {
            throw new ReplayException("topic " + topic + " does not exist on " + connection);
        }
        Map<TopicPartition, Long> last = consumer.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> from = offsetsAt(consumer, partitions, start);
        Map<TopicPartition, OffsetAndTimestamp> to = offsetsAt(consumer, partitions, end);
        Map<Integer, PartitionRange> ranges = new TreeMap<>();
        for (TopicPartition partition : partitions) {
            long first = offsetOr(from.get(partition), last.get(partition));
            long after = offsetOr(to.get(partition), last.get(partition));
            ranges.put(partition.partition(), new PartitionRange(first, after, first));
        }
        return ranges;
    }

    private static Map<TopicPartition, OffsetAndTimestamp> offsetsAt(
            KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions, Instant time) {
        Map<TopicPartition, Long> query = new TreeMap<>((a, b) -> a.partition() - b.partition());
        partitions.forEach(p -> query.put(p, time.toEpochMilli()));
        return consumer.offsetsForTimes(query);
    }

    private static long offsetOr(OffsetAndTimestamp found, long end) {
        return found == null ? end : found.offset();
    }

    // offsets of the topic's range up to each partition's end, or up to where it was copied
    private static long offsets(TopicState progress, ToLongFunction<PartitionRange> upTo) {
        return progress.partitions().values().stream()
                .mapToLong(r -> upTo.applyAsLong(r) - r.from())
                .sum();
    }

    private <T extends SpecificRecordBase> void copy(
            KafkaConsumer<byte[], byte[]> consumer,
            AvroSerde<T> serde,
            String topic,
            Path file,
            State state,
            Path checkpointFile,
            ReplayProgress listener) {
        try (FileChannel out =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            TopicState progress = state.topics().get(topic);
            out.truncate(progress.bytes());
            out.position(progress.bytes());
            for (int partition : new ArrayList<>(progress.partitions().keySet())) {
                copyPartition(
                        consumer,
                        serde,
                        new TopicPartition(topic, partition),
                        out,
                        state,
                        listener);
                Json.writeAtomically(checkpointFile, state);
            }
            progress = state.topics().get(topic);
            state.topics()
                    .put(
                            topic,
                            new TopicState(
                                    progress.partitions(),
                                    progress.bytes(),
                                    progress.records(),
                                    true));
            Json.writeAtomically(checkpointFile, state);
        } catch (IOException e) {
            throw new ReplayException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private <T extends SpecificRecordBase> void copyPartition(
            KafkaConsumer<byte[], byte[]> consumer,
            AvroSerde<T> serde,
            TopicPartition partition,
            FileChannel out,
            State state,
            ReplayProgress listener)
            throws IOException {
        PartitionRange range =
                state.topics().get(partition.topic()).partitions().get(partition.partition());
        consumer.assign(List.of(partition));
        consumer.seek(partition, range.next());
        while (consumer.position(partition) < range.to()) {
            long written = 0;
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (inRange(record, range)) {
                    T value = serde.deserializer().deserialize(partition.topic(), record.value());
                    String line = JsonRecords.write(value) + "\n";
                    out.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                    written++;
                }
            }
            out.force(false);
            advance(
                    state,
                    partition,
                    Math.min(consumer.position(partition), range.to()),
                    out,
                    written);
            Json.writeAtomically(directory.resolve("export-checkpoint.json"), state);
            listener.advanced(offsets(state.topics().get(partition.topic()), PartitionRange::next));
        }
    }

    private boolean inRange(ConsumerRecord<byte[], byte[]> record, PartitionRange range) {
        return record.offset() < range.to()
                && record.value() != null
                && record.timestamp() >= start.toEpochMilli()
                && record.timestamp() < end.toEpochMilli();
    }

    private static void advance(
            State state, TopicPartition partition, long next, FileChannel out, long written)
            throws IOException {
        TopicState progress = state.topics().get(partition.topic());
        Map<Integer, PartitionRange> partitions = new TreeMap<>(progress.partitions());
        PartitionRange range = partitions.get(partition.partition());
        partitions.put(partition.partition(), new PartitionRange(range.from(), range.to(), next));
        state.topics()
                .put(
                        partition.topic(),
                        new TopicState(
                                partitions, out.position(), progress.records() + written, false));
    }
}
