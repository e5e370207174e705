package io.forwardloop.schemas.registry;

import io.forwardloop.schemas.registry.internal.RestSchemaRegistryClient;
import java.util.Map;

/** Creates {@link SchemaRegistryClient}s from configuration maps. */
public final class SchemaRegistryClients {

    private SchemaRegistryClients() {}

    /**
     * Returns a caching REST client configured by {@code config}; see {@link
     * SchemaRegistryClientConfig} for the keys.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the key that is missing or bad
     */
    public static SchemaRegistryClient create(Map<String, ?> config) {
        return new RestSchemaRegistryClient(new SchemaRegistryClientConfig(config));
    }
}
