package io.forwardloop.ingest.logging;

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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * acknowledges the record. While Kafka is unreachable the sender retries and records wait within
 * that bound; a record that finds no permit is dropped, counted in {@code
 * gateway_log_dropped_total{topic,reason}} and reported by a WARN at most once per warn interval.
 * So the buffer holds at most {@code bufferMaxRecords} records, queued or in flight.
 */
public final class KafkaRecordLog implements RecordLog {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecordLog.class);
    private static final long RETRY_BACKOFF_MS = 250;

    private final Producer<String, byte[]> producer;
    private final AvroSerde<InferenceRecord> inferenceSerde;
    private final AvroSerde<Feedback> feedbackSerde;
    private final Semaphore permits;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final MeterRegistry meters;
    private final DropWarnings warnings;
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
        this.warnings = new DropWarnings(settings.warnIntervalMs());
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
        return new Status(state.get(), buffered(), sent.get(), dropped.get());
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
        drop(pending.topic().name(), "buffer_full");
    }

    private void drop(String topic, String reason) {
        dropped.incrementAndGet();
        meters.counter("gateway.log.dropped", "topic", topic, "reason", reason).increment();
        warnings.dropped(topic, reason, LOG);
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

    private void sendUntilAccepted(Pending pending) throws InterruptedException {
        while (true) {
            try {
                producer.send(
                        pending.toProducerRecord(this), (meta, e) -> acknowledged(pending, e));
                return;
            } catch (RuntimeException e) {
                unavailable(e);
                Thread.sleep(RETRY_BACKOFF_MS);
            }
        }
    }

    private void acknowledged(Pending pending, Exception error) {
        permits.release();
        if (error == null) {
            sent.incrementAndGet();
            counter("gateway.log.sent", pending.topic()).increment();
            if (state.getAndSet(State.CONNECTED) == State.UNAVAILABLE) {
                LOG.info("Kafka accepts records again; the record log is flowing");
            }
            return;
        }
        unavailable(error);
        drop(pending.topic().name(), "delivery_failed");
    }

    private void unavailable(Exception e) {
        if (state.getAndSet(State.UNAVAILABLE) != State.UNAVAILABLE) {
            LOG.warn(
                    "Kafka does not accept records ({}); buffering up to the bound and retrying",
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

    private record Pending(Topic<String, ?> topic, String key, SpecificRecord record) {
        ProducerRecord<String, byte[]> toProducerRecord(KafkaRecordLog log) {
            return new ProducerRecord<>(topic.name(), key, log.serialize(this));
        }
    }
}
