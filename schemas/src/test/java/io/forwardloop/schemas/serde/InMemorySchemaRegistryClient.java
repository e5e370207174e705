package io.forwardloop.schemas.serde;

import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** A registry held in memory, for serde tests that are about bytes rather than HTTP. */
class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<String, List<Schema>> bySubject = new LinkedHashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = bySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) {
            versions.add(schema);
        }
        return globalId(schema);
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        if (!bySubject.getOrDefault(subject, List.of()).contains(schema)) {
            throw new SchemaRegistryException("Schema not found under " + subject, 40403);
        }
        return globalId(schema);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 40403);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Schema> versions = bySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException("Subject '" + subject + "' not found", 40401);
        }
        Schema schema = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, versions.size(), globalId(schema), schema);
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(bySubject.keySet());
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }

    @Override
    public void close() {}

    private int globalId(Schema schema) {
        for (Map.Entry<Integer, Schema> entry : byId.entrySet()) {
            if (entry.getValue().equals(schema)) {
                return entry.getKey();
            }
        }
        int id = byId.size() + 1;
        byId.put(id, schema);
        return id;
    }
}
