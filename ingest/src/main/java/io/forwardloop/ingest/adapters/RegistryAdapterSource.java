package io.forwardloop.ingest.adapters;

import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.ingest.adapters.internal.ArtifactDecoder;
import io.forwardloop.ingest.adapters.internal.SpecMetadata;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.AliasInfo;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterEvent;
import io.forwardloop.schemas.avro.AdapterEventType;
import io.forwardloop.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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
 * alias move; of the moves already there at start only the latest per adapter is delivered. A fetch
 * that fails because the registry is unreachable is retried on the next poll.
 */
public final class RegistryAdapterSource implements AdapterSource {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryAdapterSource.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final RegistryClient client;
    private final Map<String, Object> kafkaProperties;
    private final Map<String, Object> serdeConfig;
    private final String alias;
    private final Set<String> adapters;
    private final int inputDim;
    private final Map<String, String> delivered = new HashMap<>();
    private final Map<String, AdapterEvent> pending = new LinkedHashMap<>();
    private volatile KafkaConsumer<String, AdapterEvent> consumer;
    private Thread follower;

    /**
     * @param adapters the adapter names to follow; empty follows every adapter
     * @param kafkaProperties Kafka client properties of the cluster with {@code adapter-events}
     * @param serdeConfig the schema registry settings of the Avro serde
     */
    public RegistryAdapterSource(
            RegistryClient client,
            Map<String, Object> kafkaProperties,
            Map<String, Object> serdeConfig,
            String alias,
            Set<String> adapters,
            int inputDim) {
        this.client = client;
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        this.serdeConfig = Map.copyOf(serdeConfig);
        this.alias = alias;
        this.adapters = Set.copyOf(adapters);
        this.inputDim = inputDim;
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
    public void close() {
        KafkaConsumer<String, AdapterEvent> c = consumer;
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
    }

    private java.util.Optional<AliasInfo> current(String name) {
        try {
            return java.util.Optional.of(client.alias(name, alias));
        } catch (RegistryException e) {
            LOG.info(
                    "adapter `{}` has no alias {} in the registry yet ({})",
                    name,
                    alias,
                    e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private void follow(Consumer<AdapterArtifact> sink) {
        try (AvroSerde<AdapterEvent> serde = Topics.ADAPTER_EVENTS.valueSerde(serdeConfig);
                KafkaConsumer<String, AdapterEvent> events = newConsumer(serde)) {
            consumer = events;
            List<TopicPartition> partitions =
                    events.partitionsFor(Topics.ADAPTER_EVENTS.name()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            events.assign(partitions);
            events.seekToBeginning(partitions);
            Map<TopicPartition, Long> history = events.endOffsets(partitions);
            boolean caughtUp = false;
            while (true) {
                for (ConsumerRecord<String, AdapterEvent> record : events.poll(POLL)) {
                    accept(record.value());
                }
                caughtUp = caughtUp || reached(events, history);
                if (caughtUp) {
                    deliverPending(sink);
                }
            }
        } catch (WakeupException e) {
            LOG.debug("stopped following {}", Topics.ADAPTER_EVENTS.name());
        } catch (RuntimeException e) {
            LOG.error("stopped following {}: {}", Topics.ADAPTER_EVENTS.name(), e.toString(), e);
        }
    }

    /**
     * Whether the replay of the events that were there at start is done; until then only the latest
     * move per adapter is kept, so a restart never swaps through historical versions.
     */
    private static boolean reached(
            KafkaConsumer<String, AdapterEvent> events, Map<TopicPartition, Long> history) {
        return history.entrySet().stream()
                .allMatch(e -> events.position(e.getKey()) >= e.getValue());
    }

    private KafkaConsumer<String, AdapterEvent> newConsumer(AvroSerde<AdapterEvent> serde) {
        Map<String, Object> props = new HashMap<>(kafkaProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer());
    }

    private void accept(AdapterEvent event) {
        if (event == null
                || !alias.equals(event.getAlias())
                || event.getEventType() == AdapterEventType.RETIRED
                || !(adapters.isEmpty() || adapters.contains(event.getAdapterName()))) {
            return;
        }
        pending.put(event.getAdapterName(), event);
    }

    private void deliverPending(Consumer<AdapterArtifact> sink) {
        pending.values()
                .removeIf(
                        e ->
                                deliver(
                                        e.getAdapterName(),
                                        e.getVersion(),
                                        e.getArtifactSha256(),
                                        sink));
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
                LOG.warn(
                        "cannot fetch adapter `{}` version {}: {}; retrying",
                        name,
                        version,
                        e.getMessage());
                return false;
            }
            delivered.put(name, marker);
            LOG.warn("cannot fetch adapter `{}` version {}: {}", name, version, e.getMessage());
        } catch (IllegalArgumentException e) {
            delivered.put(name, marker);
            LOG.warn(
                    "adapter `{}` version {} has unusable metadata: {}",
                    name,
                    version,
                    e.getMessage());
        }
        return true;
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
}
