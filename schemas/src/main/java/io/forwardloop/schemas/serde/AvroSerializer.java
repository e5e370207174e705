package io.forwardloop.schemas.serde;

import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryClients;
import io.forwardloop.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serializer that writes Avro records (generated classes or {@link
 * org.apache.avro.generic.GenericRecord}) in the schema registry wire format.
 *
 * <p>The record's schema is registered under its subject (see {@link AvroSerdeConfig}) or, with
 * {@code auto.register.schemas=false}, looked up there. A null record becomes null bytes, so
 * tombstones pass through. A record that does not match its schema, or a registry that refuses,
 * fails with a {@link SerializationException} naming the topic and subject.
 *
 * @param <T> the record type
 */
public class AvroSerializer<T> implements Serializer<T> {

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean isKey;
    private AvroSerdeConfig config;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** Creates a serializer that builds its registry client in {@link #configure}. */
    public AvroSerializer() {}

    /** Creates a serializer that uses {@code client}, which the caller keeps and closes. */
    public AvroSerializer(SchemaRegistryClient client) {
        this.client = client;
    }

    /** Uses {@code shared} unless a client was given already; the caller closes it. */
    void useClient(SchemaRegistryClient shared) {
        if (client == null) {
            client = shared;
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
        if (client == null) {
            client = SchemaRegistryClients.create(configs);
            ownsClient = true;
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        requireConfigured(topic);
        if (!(record instanceof GenericContainer container)) {
            throw new SerializationException(
                    String.format(
                            "cannot serialize a %s to topic '%s': only Avro records are supported",
                            record.getClass().getName(), topic));
        }
        String subject =
                config.subjectNameStrategy(isKey).subject(topic, isKey, container.getSchema());
        SchemaChoice choice = chooseSchema(topic, subject, container.getSchema());
        return WireFormat.frame(choice.id(), encode(topic, subject, choice, record));
    }

    private record SchemaChoice(int id, Schema schema) {}

    private SchemaChoice chooseSchema(String topic, String subject, Schema schema) {
        try {
            if (config.autoRegisterSchemas()) {
                return new SchemaChoice(client.register(subject, schema), schema);
            }
            if (config.useLatestVersion()) {
                return latest(topic, subject, schema);
            }
            return new SchemaChoice(client.idOf(subject, schema), schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    String.format(
                            "cannot serialize %s to topic '%s': no schema id for subject '%s': %s",
                            schema.getFullName(), topic, subject, e.getMessage()),
                    e);
        }
    }

    private SchemaChoice latest(String topic, String subject, Schema schema) {
        SchemaRegistryClient.RegisteredSchema latest = client.latest(subject);
        if (SchemaNormalization.parsingFingerprint64(latest.schema())
                != SchemaNormalization.parsingFingerprint64(schema)) {
            throw new SerializationException(
                    String.format(
                            "cannot serialize %s to topic '%s': the latest schema of subject '%s'"
                                    + " (id %d) differs from the record's schema; regenerate the"
                                    + " classes or set %s=false",
                            schema.getFullName(),
                            topic,
                            subject,
                            latest.id(),
                            AvroSerdeConfig.USE_LATEST_VERSION));
        }
        return new SchemaChoice(latest.id(), schema);
    }

    private byte[] encode(String topic, String subject, SchemaChoice choice, Object record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writers.computeIfAbsent(choice.schema(), s -> writer(s, record)).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    String.format(
                            "cannot serialize %s to topic '%s': it does not match schema id %d of"
                                    + " subject '%s': %s",
                            choice.schema().getFullName(), topic, choice.id(), subject, e),
                    e);
        }
    }

    private static DatumWriter<Object> writer(Schema schema, Object record) {
        if (record instanceof SpecificRecord) {
            return new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
        }
        return new GenericDatumWriter<>(schema);
    }

    private void requireConfigured(String topic) {
        if (config == null) {
            throw new SerializationException(
                    "Avro serializer for topic '" + topic + "' was used before configure()");
        }
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
