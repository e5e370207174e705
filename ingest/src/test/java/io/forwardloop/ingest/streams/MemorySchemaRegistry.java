package io.forwardloop.ingest.streams;

import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A schema registry in memory for topology tests: one id per distinct schema. {@link
 * #unreachable()} makes schema lookups by id fail as an unreachable registry's do.
 */
final class MemorySchemaRegistry implements SchemaRegistryClient {
    private final List<Schema> schemas = new ArrayList<>();
    private final Map<String, List<Schema>> subjects = new LinkedHashMap<>();
    private volatile boolean reachable = true;

    /** Lookups by id fail from now on, as when no registry URL answers. */
    void unreachable() {
        reachable = false;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(schema);
        int index = schemas.indexOf(schema);
        if (index < 0) {
            schemas.add(schema);
            index = schemas.size() - 1;
        }
        return index + 1;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        return register(subject, schema);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        if (!reachable) {
            throw new SchemaRegistryException(
                    "schema registry at http://registry.invalid is unreachable",
                    -1,
                    new ConnectException("Connection refused"));
        }
        return schemas.get(id - 1);
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Schema> versions = subjects.get(subject);
        Schema schema = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, versions.size(), schemas.indexOf(schema) + 1, schema);
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }

    @Override
    public void close() {}
}
