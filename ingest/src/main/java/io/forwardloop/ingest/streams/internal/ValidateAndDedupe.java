package io.forwardloop.ingest.streams.internal;

import io.forwardloop.ingest.internal.SchemaRegistryFailures;
import io.forwardloop.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
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
 * dead-letter sink, counting each outcome in {@link IngestCounters}.
 *
 * @param <V> the record type
 */
public final class ValidateAndDedupe<V> implements Processor<byte[], byte[], byte[], Object> {
    private static final Logger LOG = LoggerFactory.getLogger(ValidateAndDedupe.class);

    /** The stage named in dead letters. */
    public static final String STAGE = "ingest-topology";

    private final String storeName;
    private final Deserializer<V> deserializer;
    private final Function<V, Validation.Rejection> validator;
    private final Function<V, String> idOf;
    private final String validSink;
    private final String deadLetterSink;
    private final long windowMs;
    private final long punctuateMs;
    private final IngestCounters counters;
    private ProcessorContext<byte[], Object> context;
    private KeyValueStore<String, Long> seen;

    /** Names, checks and windows of one processor. */
    public record Spec<V>(
            String storeName,
            Deserializer<V> deserializer,
            Function<V, Validation.Rejection> validator,
            Function<V, String> idOf,
            String validSink,
            String deadLetterSink,
            long windowMs,
            long punctuateMs,
            IngestCounters counters) {}

    public ValidateAndDedupe(Spec<V> spec) {
        this.storeName = spec.storeName();
        this.deserializer = spec.deserializer();
        this.validator = spec.validator();
        this.idOf = spec.idOf();
        this.validSink = spec.validSink();
        this.deadLetterSink = spec.deadLetterSink();
        this.windowMs = spec.windowMs();
        this.punctuateMs = spec.punctuateMs();
        this.counters = spec.counters();
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
        if (record.value() == null) {
            deadLetter(record, "no_value", "the record has no value", null);
            return;
        }
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        V value;
        try {
            value = deserializer.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            if (SchemaRegistryFailures.isTransient(e)) {
                throw registryUnreachable(e);
            }
            deadLetter(
                    record,
                    "not_deserializable",
                    "not a valid record of its schema: " + e.getMessage(),
                    e);
            return;
        }
        Validation.Rejection rejection = validator.apply(value);
        if (rejection != null) {
            deadLetter(record, rejection.reason(), rejection.message(), null);
            return;
        }
        forwardUnlessDuplicate(record, idOf.apply(value));
    }

    /**
     * A record whose schema cannot be fetched is neither valid nor invalid: the task fails, so that
     * the record is read again once the schema registry answers, instead of being dead-lettered.
     */
    private StreamsException registryUnreachable(RuntimeException e) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        return new StreamsException(
                "cannot read "
                        + meta.topic()
                        + "-"
                        + meta.partition()
                        + "@"
                        + meta.offset()
                        + ": the schema registry did not answer ("
                        + e.getMessage()
                        + "); restore it, the record is read again on restart",
                e);
    }

    private void forwardUnlessDuplicate(Record<byte[], byte[]> record, String id) {
        long now = context.currentSystemTimeMs();
        Long first = seen.get(id);
        String topic = context.recordMetadata().orElseThrow().topic();
        if (first != null && now - first < windowMs) {
            counters.duplicate(topic);
            LOG.debug("dropped a repeat of {} from {} first seen at {}", id, topic, first);
            return;
        }
        seen.put(id, now);
        counters.validated(topic);
        context.forward(record.withValue((Object) record.value()), validSink);
    }

    private void deadLetter(
            Record<byte[], byte[]> record, String code, String reason, Exception error) {
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
        counters.deadLettered(meta.topic(), code);
        LOG.warn(
                "dead-lettered {}-{}@{} ({}): {}",
                meta.topic(),
                meta.partition(),
                meta.offset(),
                code,
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
