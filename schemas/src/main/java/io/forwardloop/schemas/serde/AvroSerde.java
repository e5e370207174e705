package io.forwardloop.schemas.serde;

import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryClients;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An {@link AvroSerializer} and {@link AvroDeserializer} for one record type, as a Kafka {@link
 * Serde}.
 *
 * @param <T> the record type
 */
public class AvroSerde<T> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;
    private final boolean hasClient;
    private SchemaRegistryClient ownClient;

    /** Creates a serde for {@code type} that builds its registry client in {@link #configure}. */
    public AvroSerde(Class<T> type) {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>(type);
        this.hasClient = false;
    }

    /** Creates a serde for {@code type} that uses {@code client}, which the caller closes. */
    public AvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.serializer = new AvroSerializer<>(client);
        this.deserializer = new AvroDeserializer<>(type, client);
        this.hasClient = true;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (!hasClient && ownClient == null) {
            // one client, and one cache, for both directions
            ownClient = SchemaRegistryClients.create(configs);
            serializer.useClient(ownClient);
            deserializer.useClient(ownClient);
        }
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
        if (ownClient != null) {
            ownClient.close();
        }
    }
}
