package io.forwardloop.ingest.streams.internal;

import io.forwardloop.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deserialises a raw record against its schema, validates it, drops a repeat of an id seen within
 * the window, and forwards the original bytes to the valid sink or a {@link DeadLetter} to the
 * dead-letter sink.
 *
 * @param <V> the record type
 */
public final class ValidateAndDedupe<V> implements Processor<byte[], byte[], byte[], Object> {
    private static final Logger LOG = LoggerFactory.getLogger(ValidateAndDedupe.class);

    /** The stage named in dead letters. */
    public static final String STAGE = "ingest-topology";

    private final String storeName;
    private final Deserializer<V> deserializer;
    private final Function<V, String> validator;
    private final Function<V, String> idOf;
    private final String validSink;
    private final String deadLetterSink;
    private final long windowMs;
    private final long punctuateMs;
    private ProcessorContext<byte[], Object> context;
    private KeyValueStore<String, Long> seen;

    /** Names, checks and windows of one processor. */
    public record Spec<V>(
            String storeName,
            Deserializer<V> deserializer,
            Function<V, String> validator,
            Function<V, String> idOf,
            String validSink,
            String deadLetterSink,
            long windowMs,
            long punctuateMs) {}

    public ValidateAndDedupe(Spec<V> spec) {
        this.storeName = spec.storeName();
        this.deserializer = spec.deserializer();
        this.validator = spec.validator();
        this.idOf = spec.idOf();
        this.validSink = spec.validSink();
        this.deadLetterSink = spec.deadLetterSink();
        this.windowMs = spec.windowMs();
        this.punctuateMs = spec.punctuateMs();
    }

    @Override
    public void init(ProcessorContext<byte[], Object> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
        context.schedule(
                Duration.ofMillis(punctuateMs), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        V value;
        try {
            value = record.value() == null ? null : deserializer.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            deadLetter(record, "not a valid record of its schema: " + e.getMessage(), e);
            return;
        }
        if (value == null) {
            deadLetter(record, "the record has no value", null);
            return;
        }
        String reason = validator.apply(value);
        if (reason != null) {
            deadLetter(record, reason, null);
            return;
        }
        forwardUnlessDuplicate(record, idOf.apply(value));
    }

    private void forwardUnlessDuplicate(Record<byte[], byte[]> record, String id) {
        long now = context.currentSystemTimeMs();
        Long first = seen.get(id);
        if (first != null && now - first < windowMs) {
            LOG.debug("dropped a repeat of {} first seen at {}", id, first);
            return;
        }
        seen.put(id, now);
        context.forward(record.withValue((Object) record.value()), validSink);
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, Exception error) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setSourceTopic(meta.topic())
                        .setPartition(meta.partition())
                        .setOffset(meta.offset())
                        .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                        .setOriginalValue(
                                record.value() == null ? null : ByteBuffer.wrap(record.value()))
                        .setReason(reason)
                        .setErrorClass(error == null ? null : error.getClass().getName())
                        .setStage(STAGE)
                        .setTimestampMs(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                        .build();
        LOG.warn(
                "dead-lettered {}-{}@{}: {}",
                meta.topic(),
                meta.partition(),
                meta.offset(),
                reason);
        context.forward(record.withValue((Object) letter), deadLetterSink);
    }

    private void expire(long now) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = seen.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (now - entry.value >= windowMs) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(seen::delete);
    }
}
