package io.forwardloop.ingest.logging;

import io.forwardloop.ingest.internal.SchemaRegistryFailures;
import io.forwardloop.ingest.logging.internal.DropWarnings;
import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs inference records to {@code raw-inference-records} and feedback to {@code raw-feedback}
 * through an idempotent producer ({@code acks=all}, {@code enable.idempotence=true}), keyed by
 * request id.
 *
 * <p>Callers never wait: a record takes one of {@code bufferMaxRecords} permits and joins a queue
 * that one sender thread serialises and hands to the producer; the permit returns when Kafka
 * acknowledges the record. So the buffer holds at most {@code bufferMaxRecords} records, queued or
 * in flight. {@link #status()} reports {@link RecordLog.State#UNAVAILABLE} after a failed send, and
 * also while records handed to the producer have had no acknowledgement for 10 s (the producer
 * itself keeps them until the delivery timeout). A dropped record is counted in {@code
 * gateway_log_dropped_total{topic,reason}} and reported by a WARN at most once per warn interval
 * per reason:
 *
 * <ul>
 *   <li>{@code buffer_full}: no permit was free when the record came;
 *   <li>{@code unserializable}: the record does not fit its schema, or the schema registry refused
 *       its schema; it is dropped at once, so it never holds up the records behind it;
 *   <li>{@code registry_unavailable}: the schema registry did not answer (or failed on its side)
 *       for the whole delivery timeout, counted from when the record was queued; until then the
 *       sender retries it;
 *   <li>{@code delivery_failed}: Kafka did not take or acknowledge it within the delivery timeout
 *       (counted from when it was queued), or refused it for good.
 * </ul>
 */
public final class KafkaRecordLog implements RecordLog {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecordLog.class);
    private static final long RETRY_BACKOFF_MS = 250;
    private static final long STALL_MS = 10_000;
    private static final String BUFFER_FULL = "buffer_full";
    private static final String UNSERIALIZABLE = "unserializable";
    private static final String REGISTRY_UNAVAILABLE = "registry_unavailable";
    private static final String DELIVERY_FAILED = "delivery_failed";

    private final Producer<String, byte[]> producer;
    private final AvroSerde<InferenceRecord> inferenceSerde;
    private final AvroSerde<Feedback> feedbackSerde;
    private final Semaphore permits;
    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastProgressMs = System.currentTimeMillis();
    private final MeterRegistry meters;
    private final long warnIntervalMs;
    private final long deliveryTimeoutMs;
    private final Map<String, DropWarnings> warnings = new ConcurrentHashMap<>();
    private final Thread sender;
    private final int bufferMaxRecords;
    private volatile boolean running = true;

    /** Settings of the log. */
    public record Settings(int bufferMaxRecords, long deliveryTimeoutMs, long warnIntervalMs) {}

    /**
     * Creates the log and starts its sender thread.
     *
     * @param kafkaProperties Kafka client properties (bootstrap servers, security)
     * @param serdeConfig schema registry settings of the Avro serdes
     */
    public KafkaRecordLog(
            Map<String, Object> kafkaProperties,
            Map<String, Object> serdeConfig,
            Settings settings,
            MeterRegistry meters) {
        this.producer = new KafkaProducer<>(producerProperties(kafkaProperties, settings));
        this.inferenceSerde = Topics.RAW_INFERENCE_RECORDS.valueSerde(serdeConfig);
        this.feedbackSerde = Topics.RAW_FEEDBACK.valueSerde(serdeConfig);
        this.permits = new Semaphore(settings.bufferMaxRecords());
        this.meters = meters;
        this.warnIntervalMs = settings.warnIntervalMs();
        this.deliveryTimeoutMs = settings.deliveryTimeoutMs();
        this.bufferMaxRecords = settings.bufferMaxRecords();
        meters.gauge("gateway.log.buffered", queue, q -> buffered());
        this.sender = new Thread(this::sendLoop, "gateway-record-log");
        sender.setDaemon(true);
        sender.start();
    }

    static Map<String, Object> producerProperties(Map<String, Object> kafka, Settings settings) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) settings.deliveryTimeoutMs());
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return props;
    }

    @Override
    public void inference(InferenceRecord record) {
        offer(new Pending(Topics.RAW_INFERENCE_RECORDS, record.getRequestId(), record));
    }

    @Override
    public void feedback(Feedback feedback) {
        offer(new Pending(Topics.RAW_FEEDBACK, feedback.getRequestId(), feedback));
    }

    @Override
    public Status status() {
        State reported = state.get();
        boolean stalled =
                inFlight.get() > 0
                        && System.currentTimeMillis() - lastProgressMs > STALL_MS
                        && reported != State.UNAVAILABLE;
        return new Status(
                stalled ? State.UNAVAILABLE : reported, buffered(), sent.get(), dropped.get());
    }

    @Override
    public void close() {
        long deadline = System.currentTimeMillis() + 5_000;
        while (!queue.isEmpty() && System.currentTimeMillis() < deadline) {
            sleep(20);
        }
        running = false;
        sender.interrupt();
        joinSender();
        producer.close(Duration.ofSeconds(5));
        if (!queue.isEmpty()) {
            LOG.warn("closed the record log with {} records unsent; they are lost", queue.size());
        }
        inferenceSerde.close();
        feedbackSerde.close();
    }

    private void offer(Pending pending) {
        if (permits.tryAcquire()) {
            queue.add(pending);
            return;
        }
        drop(pending.topic().name(), BUFFER_FULL, null);
    }

    private void drop(String topic, String reason, String detail) {
        dropped.incrementAndGet();
        meters.counter("gateway.log.dropped", "topic", topic, "reason", reason).increment();
        warnings.computeIfAbsent(reason, r -> new DropWarnings(warnIntervalMs, advice(r)))
                .dropped(topic, reason, detail, LOG);
    }

    private static String advice(String reason) {
        return switch (reason) {
            case BUFFER_FULL -> "raise gateway.log.buffer.max.records or restore Kafka";
            case UNSERIALIZABLE ->
                    "the record does not fit its schema or the schema registry refused the schema;"
                            + " check the registry's compatibility settings for the subject";
            case REGISTRY_UNAVAILABLE ->
                    "restore the schema registry at schema.registry.url or raise"
                            + " gateway.log.delivery.timeout.ms";
            default -> "restore Kafka or raise gateway.log.delivery.timeout.ms";
        };
    }

    private void sendLoop() {
        while (running) {
            try {
                sendUntilAccepted(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Serialises and hands one record to the producer, retrying while the schema registry or Kafka
     * is unreachable, up to the delivery timeout since the record was queued.
     */
    private void sendUntilAccepted(Pending pending) throws InterruptedException {
        while (true) {
            String failure;
            try {
                byte[] value = serialize(pending);
                handedOver();
                producer.send(
                        new ProducerRecord<>(pending.topic().name(), pending.key(), value),
                        (meta, e) -> acknowledged(pending, e));
                return;
            } catch (SerializationException e) {
                if (!SchemaRegistryFailures.isTransient(e)) {
                    release(pending, UNSERIALIZABLE, e.getMessage());
                    return;
                }
                failure = REGISTRY_UNAVAILABLE;
                unavailable(e);
            } catch (RuntimeException e) {
                failure = DELIVERY_FAILED;
                unavailable(e);
            }
            if (expired(pending)) {
                release(pending, failure, null);
                return;
            }
            Thread.sleep(RETRY_BACKOFF_MS);
        }
    }

    /** Gives up on a record: its permit returns, and it is counted as dropped. */
    private void release(Pending pending, String reason, String detail) {
        permits.release();
        drop(pending.topic().name(), reason, detail);
    }

    /** A record goes to the producer; the first of a run starts the stall clock. */
    private void handedOver() {
        if (inFlight.getAndIncrement() == 0) {
            lastProgressMs = System.currentTimeMillis();
        }
    }

    /**
     * The producer's answer for one record. A retriable failure inside the delivery timeout (the
     * producer found no metadata for the topic within its blocking bound while Kafka was away) puts
     * the record back at the head of the queue, holding its permit; any other failure drops it.
     */
    private void acknowledged(Pending pending, Exception error) {
        inFlight.decrementAndGet();
        lastProgressMs = System.currentTimeMillis();
        if (error == null) {
            permits.release();
            sent.incrementAndGet();
            counter("gateway.log.sent", pending.topic()).increment();
            if (state.getAndSet(State.CONNECTED) == State.UNAVAILABLE) {
                LOG.info("Kafka accepts records again; the record log is flowing");
            }
            return;
        }
        unavailable(error);
        if (error instanceof RetriableException && running && !expired(pending)) {
            queue.offerFirst(pending);
            return;
        }
        release(pending, DELIVERY_FAILED, error.toString());
    }

    private boolean expired(Pending pending) {
        return System.currentTimeMillis() - pending.queuedAtMs() >= deliveryTimeoutMs;
    }

    private void unavailable(Exception e) {
        if (state.getAndSet(State.UNAVAILABLE) != State.UNAVAILABLE) {
            LOG.warn(
                    "records cannot be sent ({}); buffering up to the bound and" + " retrying",
                    e.toString());
        }
    }

    private Counter counter(String name, Topic<?, ?> topic) {
        return meters.counter(name, "topic", topic.name());
    }

    private long buffered() {
        return bufferMaxRecords - permits.availablePermits();
    }

    private byte[] serialize(Pending pending) {
        if (pending.record() instanceof InferenceRecord record) {
            return inferenceSerde.serializer().serialize(pending.topic().name(), record);
        }
        return feedbackSerde
                .serializer()
                .serialize(pending.topic().name(), (Feedback) pending.record());
    }

    private void joinSender() {
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Pending(
            Topic<String, ?> topic, String key, SpecificRecord record, long queuedAtMs) {
        Pending(Topic<String, ?> topic, String key, SpecificRecord record) {
            this(topic, key, record, System.currentTimeMillis());
        }
    }
}
