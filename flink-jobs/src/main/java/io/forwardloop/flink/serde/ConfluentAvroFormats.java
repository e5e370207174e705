package io.forwardloop.flink.serde;

import io.forwardloop.schemas.serde.AvroSerdeConfig;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;

/**
 * Flink (de)serialization schemas for Avro records in the Confluent wire format, backed by a
 * Confluent-compatible schema registry.
 *
 * <p>Serializers write under the subject {@code <topic>-value} (Confluent's topic name strategy);
 * deserializers read the writer schema by the id in each record and resolve it to the reader schema
 * (the record class's own, or the one given). The registry settings use Confluent's keys ({@code
 * schema.registry.url}, {@code basic.auth.credentials.source}, {@code basic.auth.user.info}, {@code
 * auto.register.schemas}) and are checked here, on the client, so a missing URL fails when the job
 * is built rather than on the task managers.
 */
public final class ConfluentAvroFormats {

    private ConfluentAvroFormats() {}

    /** Reads records of {@code recordClass} written with any compatible registered schema. */
    public static <T extends SpecificRecord> RegistryAvroDeserializationSchema<T> deserializer(
            Class<T> recordClass, Map<String, String> registryConfig) {
        Schema reader = SpecificData.get().getSchema(recordClass);
        return new RegistryAvroDeserializationSchema<>(
                recordClass, reader, provider(registryConfig, null));
    }

    /** Reads generic records, resolved to {@code readerSchema}. */
    public static RegistryAvroDeserializationSchema<GenericRecord> genericDeserializer(
            Schema readerSchema, Map<String, String> registryConfig) {
        return new RegistryAvroDeserializationSchema<>(
                GenericRecord.class, readerSchema, provider(registryConfig, null));
    }

    /** Writes records of {@code recordClass} under the subject {@code <topic>-value}. */
    public static <T extends SpecificRecord> RegistryAvroSerializationSchema<T> serializer(
            Class<T> recordClass, String topic, Map<String, String> registryConfig) {
        return RegistryAvroSerializationSchema.forSpecific(
                recordClass, provider(registryConfig, valueSubject(topic)));
    }

    /** Writes generic records with {@code schema} under the subject {@code <topic>-value}. */
    public static RegistryAvroSerializationSchema<GenericRecord> genericSerializer(
            Schema schema, String topic, Map<String, String> registryConfig) {
        return RegistryAvroSerializationSchema.forGeneric(
                schema, provider(registryConfig, valueSubject(topic)));
    }

    /** The subject of a topic's values under Confluent's topic name strategy. */
    public static String valueSubject(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("a topic name is required to derive the subject");
        }
        return topic + "-value";
    }

    private static RegistrySchemaCoder.Provider provider(
            Map<String, String> registryConfig, String subject) {
        // parse now so that a missing or bad key fails where the job is built
        new AvroSerdeConfig(registryConfig);
        return new RegistrySchemaCoder.Provider(registryConfig, subject);
    }
}
