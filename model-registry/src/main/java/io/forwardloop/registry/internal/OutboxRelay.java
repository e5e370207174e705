package io.forwardloop.registry.internal;

import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox to {@code adapter-events}, in order, and marks what Kafka acknowledged.
 *
 * <p>One thread drains the outbox whenever an alias move wakes it, and otherwise every poll
 * interval. While Kafka or the database cannot be reached it retries with a doubling backoff: one
 * WARN when an outage starts, one INFO when it ends. Delivery is at least once: an event Kafka
 * stored but did not acknowledge in time is sent again; the topic is compacted by adapter and
 * alias, so consumers see the latest move either way.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;

    private final RegistryStore store;
    private final Producer<String, AdapterEvent> producer;
    private final long pollMs;
    private final long backoffMaxMs;
    private final long sendTimeoutMs;
    private final Counter sent;
    private final Counter failures;
    private final Semaphore wakeups = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private long outageSinceMs = -1;
    private Throwable lastError;

    public OutboxRelay(
            RegistryStore store,
            Producer<String, AdapterEvent> producer,
            long pollMs,
            long backoffMaxMs,
            long sendTimeoutMs,
            MeterRegistry meters) {
        this.store = store;
        this.producer = producer;
        this.pollMs = pollMs;
        this.backoffMaxMs = backoffMaxMs;
        this.sendTimeoutMs = sendTimeoutMs;
        this.sent = meters.counter("registry.outbox.events.sent");
        this.failures = meters.counter("registry.outbox.send.failures");
        this.thread = new Thread(this::run, "registry-outbox-relay");
        this.thread.setDaemon(true);
    }

    /** Starts the relay thread. */
    public void start() {
        thread.start();
    }

    /** Asks the relay to drain now, as after an alias move. */
    public void wake() {
        wakeups.release();
    }

    private void run() {
        long backoff = pollMs;
        while (running) {
            boolean ok = drainOnce();
            backoff = ok ? pollMs : Math.min(backoffMaxMs, Math.max(pollMs, backoff * 2));
            await(ok ? pollMs : backoff);
        }
    }

    private void await(long ms) {
        try {
            if (wakeups.tryAcquire(ms, TimeUnit.MILLISECONDS)) {
                wakeups.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Sends what is pending; returns false when something failed and the relay should back off. */
    boolean drainOnce() {
        try {
            List<OutboxEvent> events = store.unsentEvents(BATCH);
            while (running && !events.isEmpty()) {
                List<Long> acknowledged = send(events);
                store.markSent(acknowledged);
                sent.increment(acknowledged.size());
                if (acknowledged.size() < events.size()) {
                    return failed(null);
                }
                events = store.unsentEvents(BATCH);
            }
            recovered();
            return true;
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /** Sends events in order; returns the ids acknowledged before the first failure. */
    private List<Long> send(List<OutboxEvent> events) {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (OutboxEvent event : events) {
            String topic = Topics.ADAPTER_EVENTS.name();
            futures.add(producer.send(new ProducerRecord<>(topic, event.key(), event.toAvro())));
        }
        List<Long> acknowledged = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            if (!acknowledged(futures.get(i), events.get(i))) {
                break;
            }
            acknowledged.add(events.get(i).id());
        }
        return acknowledged;
    }

    private boolean acknowledged(Future<RecordMetadata> future, OutboxEvent event) {
        try {
            RecordMetadata meta = future.get(sendTimeoutMs, TimeUnit.MILLISECONDS);
            LOG.debug("Published {} of {} at {}", event.eventType(), event.key(), meta);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            lastError = e.getCause() == null ? e : e.getCause();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
    }

    private boolean failed(RuntimeException e) {
        failures.increment();
        Throwable cause = e != null ? e : lastError;
        if (outageSinceMs < 0) {
            outageSinceMs = System.currentTimeMillis();
            LOG.warn(
                    "Cannot publish adapter events to {} ({}); they stay in the outbox and are"
                            + " retried with backoff up to {} ms",
                    Topics.ADAPTER_EVENTS.name(),
                    cause == null ? "unknown cause" : cause.toString(),
                    backoffMaxMs);
        }
        LOG.trace("Outbox publish attempt failed", cause);
        return false;
    }

    private void recovered() {
        if (outageSinceMs >= 0) {
            LOG.info(
                    "Publishing adapter events again after {} ms; the outbox is drained",
                    System.currentTimeMillis() - outageSinceMs);
            outageSinceMs = -1;
        }
    }

    /** Stops the thread and closes the producer; unsent events stay in the outbox. */
    @Override
    public void close() {
        running = false;
        wakeups.release();
        try {
            thread.join(sendTimeoutMs + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
