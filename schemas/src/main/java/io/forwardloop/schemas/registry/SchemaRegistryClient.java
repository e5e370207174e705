package io.forwardloop.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * A client for the REST API of a Confluent-compatible schema registry.
 *
 * <p>The subset used here is the one every compatible registry serves (Confluent Schema Registry,
 * Apicurio's compatibility API, Karapace, and the in-process server of the embedded platform):
 * register a schema under a subject, look a schema up by id, look a subject's version up by schema,
 * and read or set a compatibility level. Implementations cache ids and schemas: both are immutable
 * once registered.
 *
 * <p>Every failure is a {@link SchemaRegistryException} that names the subject or id, the
 * registry's error code where it sent one, and the URL that was asked.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} and returns its global id. */
    int register(String subject, Schema schema);

    /** Returns the id of {@code schema} if it is already registered under {@code subject}. */
    int idOf(String subject, Schema schema);

    /** Returns the schema with global id {@code id}. */
    Schema schemaById(int id);

    /** Returns the latest version registered under {@code subject}. */
    RegisteredSchema latest(String subject);

    /** Returns the subjects the registry knows. */
    List<String> subjects();

    /** Returns whether {@code schema} could be registered under {@code subject} now. */
    boolean isCompatible(String subject, Schema schema);

    /** Closes connections and clears caches. */
    @Override
    void close();

    /** A schema as registered: its subject, version within the subject, global id and text. */
    record RegisteredSchema(String subject, int version, int id, Schema schema) {}
}
