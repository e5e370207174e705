package io.forwardloop.schemas;

import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.serde.AvroSerde;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic of the loop, typed by its key and value: its name, how keys and values are
 * serialized, and how the topic is created.
 *
 * <p>Values are Avro records in the schema registry wire format; see {@link Topics} for the topics
 * themselves.
 *
 * @param <K> the key type
 * @param <V> the value type, a generated Avro class
 */
public final class Topic<K, V extends SpecificRecord> {

    private final String name;
    private final Serde<K> keySerde;
    private final Class<V> valueType;
    private final CleanupPolicy cleanupPolicy;
    private final int defaultPartitions;
    private final Map<String, String> extraConfigs;

    /**
     * Declares a topic.
     *
     * @param extraConfigs topic configs beyond {@code cleanup.policy}, e.g. {@code retention.ms}
     */
    public Topic(
            String name,
            Serde<K> keySerde,
            Class<V> valueType,
            CleanupPolicy cleanupPolicy,
            int defaultPartitions,
            Map<String, String> extraConfigs) {
        this.name = Objects.requireNonNull(name, "name");
        this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
        this.valueType = Objects.requireNonNull(valueType, "valueType");
        this.cleanupPolicy = Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + " needs at least 1 partition, not " + defaultPartitions);
        }
        this.defaultPartitions = defaultPartitions;
        this.extraConfigs = Map.copyOf(extraConfigs);
    }

    /** The topic name, a kebab-case noun. */
    public String name() {
        return name;
    }

    /** The key serde; keys are plain strings without a registry. */
    public Serde<K> keySerde() {
        return keySerde;
    }

    /** The generated Avro class of the values. */
    public Class<V> valueType() {
        return valueType;
    }

    public CleanupPolicy cleanupPolicy() {
        return cleanupPolicy;
    }

    /** The partition count to create the topic with where nothing else is configured. */
    public int defaultPartitions() {
        return defaultPartitions;
    }

    /** Topic configs beyond the cleanup policy. */
    public Map<String, String> extraConfigs() {
        return extraConfigs;
    }

    /** All topic configs to create the topic with, {@code cleanup.policy} included. */
    public Map<String, String> topicConfigs() {
        Map<String, String> configs = new LinkedHashMap<>(extraConfigs);
        configs.put("cleanup.policy", cleanupPolicy.configValue());
        return Map.copyOf(configs);
    }

    /**
     * Returns a value serde configured with {@code serdeConfig} (see {@link
     * io.forwardloop.schemas.serde.AvroSerdeConfig}); it owns a registry client, so close it.
     */
    public AvroSerde<V> valueSerde(Map<String, ?> serdeConfig) {
        AvroSerde<V> serde = new AvroSerde<>(valueType);
        serde.configure(serdeConfig, false);
        return serde;
    }

    /** Returns a value serde that shares {@code client}, configured with {@code serdeConfig}. */
    public AvroSerde<V> valueSerde(SchemaRegistryClient client, Map<String, ?> serdeConfig) {
        AvroSerde<V> serde = new AvroSerde<>(valueType, client);
        serde.configure(serdeConfig, false);
        return serde;
    }

    @Override
    public String toString() {
        return "Topic[" + name + ", " + valueType.getSimpleName() + "]";
    }
}
