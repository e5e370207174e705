package io.forwardloop.schemas.registry;

import io.forwardloop.schemas.compat.CompatibilityLevel;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A client for the REST API of a Confluent-compatible schema registry.
 *
 * <p>The subset used here is the one every compatible registry serves (Confluent Schema Registry,
 * Apicurio's compatibility API, Karapace, and the in-process server of the embedded platform):
 * register a schema under a subject, look a schema up by id, look a subject's version up by schema,
 * and read or set a compatibility level. Implementations cache ids and schemas: both are immutable
 * once registered. Compatibility levels are not cached: another client may change them.
 *
 * <p>Every failure is a {@link SchemaRegistryException} that names the subject or id, the
 * registry's error code where it sent one, and the URL that was asked; a registry that could not be
 * reached at all is a {@link SchemaRegistryUnreachableException}. The compatibility methods have
 * defaults that throw {@link UnsupportedOperationException}, for clients (test doubles, read-only
 * caches) that do not manage levels.
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

    /** Returns the registry's global compatibility level ({@code GET /config}). */
    default CompatibilityLevel globalCompatibility() {
        throw unsupported("reading the global compatibility level");
    }

    /**
     * Sets the registry's global compatibility level ({@code PUT /config}), which applies to every
     * subject without a level of its own, and returns the level the registry now holds.
     */
    default CompatibilityLevel setGlobalCompatibility(CompatibilityLevel level) {
        throw unsupported("setting the global compatibility level");
    }

    /**
     * Returns the level set on {@code subject} itself ({@code GET /config/{subject}}), or empty
     * when the subject follows the global level.
     */
    default Optional<CompatibilityLevel> compatibility(String subject) {
        throw unsupported("reading the compatibility level of subject '" + subject + "'");
    }

    /**
     * Sets the compatibility level of {@code subject} ({@code PUT /config/{subject}}) and returns
     * the level the registry now holds for it. The subject need not have any versions yet.
     */
    default CompatibilityLevel setCompatibility(String subject, CompatibilityLevel level) {
        throw unsupported("setting the compatibility level of subject '" + subject + "'");
    }

    /**
     * Removes the level set on {@code subject} ({@code DELETE /config/{subject}}), so that it
     * follows the global level again, and returns the removed level, or empty when it had none.
     */
    default Optional<CompatibilityLevel> deleteCompatibility(String subject) {
        throw unsupported("removing the compatibility level of subject '" + subject + "'");
    }

    private UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(
                getClass().getName()
                        + " does not support "
                        + what
                        + "; use the REST client of SchemaRegistryClients.create");
    }

    /** Closes connections and clears caches. */
    @Override
    void close();

    /** A schema as registered: its subject, version within the subject, global id and text. */
    record RegisteredSchema(String subject, int version, int id, Schema schema) {}
}
