package io.forwardloop.ingest.adapters;

import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.ingest.adapters.internal.ArtifactDecoder;
import io.forwardloop.ingest.adapters.internal.SpecMetadata;
import io.forwardloop.ingest.internal.SchemaRegistryFailures;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.AliasInfo;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterEvent;
import io.forwardloop.schemas.avro.AdapterEventType;
import io.forwardloop.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An adapter source on the model registry: follows {@code adapter-events} and, when the serving
 * alias of an adapter moves, fetches the version's metadata and its artifact by SHA-256 and
 * delivers them.
 *
 * <p>At start it asks the registry where the alias of each named adapter points; then it reads the
 * compacted events topic from the beginning without a consumer group, so every gateway sees every
 * alias move; of the moves already there at start only the latest per adapter is delivered.
 *
 * <p>It keeps following whatever fails. An event that cannot be read (bytes that do not fit the
 * schema, an unknown schema id, a move without adapter name, version or SHA-256) is skipped with a
 * WARN. When Kafka or the schema registry fails, the consumer is closed and opened again after a
 * backoff that doubles up to {@value #MAX_BACKOFF_MS} ms, and resumes after the last event it
 * handled; when the model registry cannot be reached, the fetch is retried with the same backoff.
 * Each error is counted in {@code adapter_source_errors_total{reason}} ({@code malformed_event},
 * {@code kafka}, {@code schema_registry}, {@code registry_unavailable}, {@code fetch_failed},
 * {@code unusable_metadata}) and shows in {@link #status()}.
 */
public final class RegistryAdapterSource implements AdapterSource {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryAdapterSource.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long INITIAL_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 10_000;
    private static final String TOPIC = Topics.ADAPTER_EVENTS.name();

    private final RegistryClient client;
    private final Map<String, Object> kafkaProperties;
    private final Map<String, Object> serdeConfig;
    private final String alias;
    private final Set<String> adapters;
    private final int inputDim;
    private final MeterRegistry meters;
    private final Map<String, String> delivered = new HashMap<>();
    private final Map<String, AdapterEvent> pending = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicLong errors = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String lastError;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Map<TopicPartition, Long> history;
    private boolean caughtUp;
    private long backoffMs = INITIAL_BACKOFF_MS;
    private long deliveryBackoffMs = INITIAL_BACKOFF_MS;
    private long nextDeliveryMs;
    private Thread follower;

    /**
     * @param adapters the adapter names to follow; empty follows every adapter
     * @param kafkaProperties Kafka client properties of the cluster with {@code adapter-events}
     * @param serdeConfig the schema registry settings of the Avro serde
     * @param meters where {@code adapter.source.errors} is counted
     */
    public RegistryAdapterSource(
            RegistryClient client,
            Map<String, Object> kafkaProperties,
            Map<String, Object> serdeConfig,
            String alias,
            Set<String> adapters,
            int inputDim,
            MeterRegistry meters) {
        this.client = client;
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        this.serdeConfig = Map.copyOf(serdeConfig);
        this.alias = alias;
        this.adapters = Set.copyOf(adapters);
        this.inputDim = inputDim;
        this.meters = meters;
    }

    @Override
    public void start(Consumer<AdapterArtifact> sink) {
        for (String name : adapters) {
            current(name)
                    .ifPresent(info -> deliver(name, info.version(), info.artifactSha256(), sink));
        }
        follower = new Thread(() -> follow(sink), "adapter-events-follower");
        follower.setDaemon(true);
        follower.start();
    }

    @Override
    public String describe() {
        return "registry " + client.url() + " alias " + alias;
    }

    @Override
    public Status status() {
        return new Status(state.get(), errors.get(), lastError);
    }

    @Override
    public void close() {
        stopped.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (follower != null) {
            try {
                follower.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state.set(State.STOPPED);
    }

    private boolean closing() {
        return stopped.getCount() == 0;
    }

    private Optional<AliasInfo> current(String name) {
        try {
            return Optional.of(client.alias(name, alias));
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND) {
                LOG.info("adapter `{}` has no alias {} in the registry yet", name, alias);
            } else {
                error("registry_unavailable", e.getMessage());
                LOG.warn(
                        "cannot ask the model registry where alias {} of `{}` points ({}); the"
                                + " latest move on {} will be served",
                        alias,
                        name,
                        e.getMessage(),
                        TOPIC);
            }
            return Optional.empty();
        }
    }

    // ---- following adapter-events

    private void follow(Consumer<AdapterArtifact> sink) {
        while (!closing()) {
            try {
                session(sink);
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                if (closing()) {
                    break;
                }
                failed(e);
                if (pause(backoffMs)) {
                    break;
                }
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
        state.set(State.STOPPED);
        LOG.debug("stopped following {}", TOPIC);
    }

    private void failed(RuntimeException e) {
        String reason = e instanceof Retry retry ? retry.reason : "kafka";
        String message = e instanceof Retry ? e.getMessage() : e.toString();
        error(reason, message);
        state.set(State.RETRYING);
        LOG.warn(
                "following {} failed ({}); retrying in {} ms, the served versions stay",
                TOPIC,
                message,
                backoffMs);
    }

    /** Waits {@code ms}; true when the source was closed meanwhile. */
    private boolean pause(long ms) {
        try {
            return stopped.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** One consumer's life: from the last handled events until close or a failure. */
    private void session(Consumer<AdapterArtifact> sink) {
        try (AvroSerde<AdapterEvent> serde = Topics.ADAPTER_EVENTS.valueSerde(serdeConfig);
                KafkaConsumer<String, byte[]> events = newConsumer()) {
            consumer = events;
            if (closing()) {
                return;
            }
            List<TopicPartition> partitions = partitions(events);
            events.assign(partitions);
            partitions.forEach(p -> seek(events, p));
            if (history == null) {
                history = events.endOffsets(partitions);
            }
            while (!closing()) {
                for (ConsumerRecord<String, byte[]> record : events.poll(POLL)) {
                    handle(record, serde.deserializer());
                    positions.put(
                            new TopicPartition(record.topic(), record.partition()),
                            record.offset() + 1);
                }
                partitions.forEach(p -> positions.put(p, events.position(p)));
                caughtUp = caughtUp || reached();
                polled(!caughtUp || deliverPending(sink));
            }
        } finally {
            consumer = null;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> events) {
        List<TopicPartition> partitions =
                events.partitionsFor(TOPIC).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException(
                    "topic " + TOPIC + " does not exist; create it with forwardloop topics create");
        }
        return partitions;
    }

    private void seek(KafkaConsumer<String, byte[]> events, TopicPartition partition) {
        Long position = positions.get(partition);
        if (position == null) {
            events.seekToBeginning(List.of(partition));
        } else {
            events.seek(partition, position);
        }
    }

    /** A poll round went through; {@code delivered} is false while a fetch waits for a retry. */
    private void polled(boolean deliveredAll) {
        backoffMs = INITIAL_BACKOFF_MS;
        State before = state.getAndSet(deliveredAll ? State.FOLLOWING : State.RETRYING);
        if (deliveredAll && before == State.RETRYING) {
            LOG.info("following {} again", TOPIC);
        }
    }

    /**
     * Whether the replay of the events that were there at start is done; until then only the latest
     * move per adapter is kept, so a restart never swaps through historical versions.
     */
    private boolean reached() {
        return history.entrySet().stream()
                .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Map<String, Object> props = new HashMap<>(kafkaProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads one event and keeps it if it moves a followed alias; skips one that cannot be read.
     *
     * @throws Retry when the schema registry is unreachable: the event is read again later
     */
    private void handle(ConsumerRecord<String, byte[]> record, Deserializer<AdapterEvent> serde) {
        if (record.value() == null) {
            return;
        }
        AdapterEvent event;
        try {
            event = serde.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            if (SchemaRegistryFailures.isTransient(e)) {
                throw new Retry("schema_registry", e.getMessage(), e);
            }
            malformed(record, e.getMessage());
            return;
        }
        if (!followed(event)) {
            return;
        }
        String problem = problem(event);
        if (problem != null) {
            malformed(record, problem);
            return;
        }
        pending.put(event.getAdapterName(), event);
    }

    private boolean followed(AdapterEvent event) {
        return event != null
                && alias.equals(event.getAlias())
                && event.getEventType() != AdapterEventType.RETIRED
                && (adapters.isEmpty() || adapters.contains(event.getAdapterName()));
    }

    /** What makes a move unusable, or null. */
    private static String problem(AdapterEvent event) {
        if (event.getAdapterName().isBlank()) {
            return "the event names no adapter";
        }
        if (event.getVersion() < 1) {
            return "version " + event.getVersion() + " is not a registry version (1 or more)";
        }
        if (!event.getArtifactSha256().matches("[0-9a-f]{64}")) {
            return "artifact_sha256 '"
                    + event.getArtifactSha256()
                    + "' is not a lower-case hex SHA-256";
        }
        return null;
    }

    private void malformed(ConsumerRecord<String, byte[]> record, String why) {
        error("malformed_event", why);
        LOG.warn(
                "skipped the event at {}-{}@{} (key {}): {}",
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                why);
    }

    private void error(String reason, String message) {
        errors.incrementAndGet();
        lastError = reason + ": " + message;
        meters.counter("adapter.source.errors", "reason", reason).increment();
    }

    // ---- fetching and delivering versions

    /** Delivers the pending moves; false while one waits to retry an unreachable registry. */
    private boolean deliverPending(Consumer<AdapterArtifact> sink) {
        if (pending.isEmpty()) {
            return true;
        }
        long now = System.currentTimeMillis();
        if (now < nextDeliveryMs) {
            return false;
        }
        pending.values()
                .removeIf(
                        e ->
                                deliver(
                                        e.getAdapterName(),
                                        e.getVersion(),
                                        e.getArtifactSha256(),
                                        sink));
        if (pending.isEmpty()) {
            deliveryBackoffMs = INITIAL_BACKOFF_MS;
            return true;
        }
        nextDeliveryMs = now + deliveryBackoffMs;
        deliveryBackoffMs = Math.min(deliveryBackoffMs * 2, MAX_BACKOFF_MS);
        return false;
    }

    /** Fetches and delivers a version; false when the registry could not be reached. */
    private boolean deliver(
            String name, long version, String sha256, Consumer<AdapterArtifact> sink) {
        String marker = version + "/" + sha256;
        if (marker.equals(delivered.get(name))) {
            return true;
        }
        try {
            AdapterArtifact artifact = fetch(name, version, sha256);
            delivered.put(name, marker);
            sink.accept(artifact);
        } catch (AdapterRefusedException e) {
            LOG.debug("adapter `{}` version {} was refused", name, version);
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.UNAVAILABLE) {
                unavailable(name, version, e);
                return false;
            }
            delivered.put(name, marker);
            error("fetch_failed", e.getMessage());
            LOG.warn("cannot fetch adapter `{}` version {}: {}", name, version, e.getMessage());
        } catch (IllegalArgumentException e) {
            delivered.put(name, marker);
            error("unusable_metadata", e.getMessage());
            LOG.warn(
                    "adapter `{}` version {} has unusable metadata: {}",
                    name,
                    version,
                    e.getMessage());
        }
        return true;
    }

    private void unavailable(String name, long version, RegistryException e) {
        error("registry_unavailable", e.getMessage());
        if (state.get() != State.RETRYING) {
            LOG.warn(
                    "cannot fetch adapter `{}` version {}: {}; retrying with backoff",
                    name,
                    version,
                    e.getMessage());
        }
    }

    private AdapterArtifact fetch(String name, long version, String sha256) {
        AdapterVersion meta = client.version(name, version);
        byte[] bytes = client.artifact(sha256);
        AdapterSpec spec =
                ArtifactDecoder.isParameters(bytes)
                        ? null
                        : SpecMetadata.spec(
                                meta.kind(), meta.labels(), meta.hyperparameters(), inputDim);
        return new AdapterArtifact(name, version, sha256, bytes, spec, describe() + " v" + version);
    }

    /** A failure that ends the consumer's session, to be retried after the backoff. */
    private static final class Retry extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Retry(String reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }
    }
}
