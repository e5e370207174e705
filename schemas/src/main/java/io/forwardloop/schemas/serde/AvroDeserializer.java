package io.forwardloop.schemas.serde;

import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryClients;
import io.forwardloop.schemas.registry.SchemaRegistryException;
import io.forwardloop.schemas.registry.SchemaRegistryUnreachableException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A Kafka deserializer for Avro records in the schema registry wire format.
 *
 * <p>The writer schema is fetched from the registry by the id in the payload and resolved to the
 * reader schema: the schema of the class given to the constructor, else (with {@code
 * specific.avro.reader=true}) the generated class named like the writer schema, else the writer
 * schema itself as a {@link org.apache.avro.generic.GenericRecord}. Null bytes become null.
 * Anything else that cannot be read, including trailing bytes, fails with a {@link
 * SerializationException} naming the topic and schema id: nothing is skipped silently. When the
 * writer schema cannot be fetched the message says why: the registry does not know the id, the
 * registry is unreachable (naming its URLs; the record itself may be fine), or another error.
 *
 * @param <T> the record type
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    /** Confluent's error code for a schema id the registry does not hold. */
    private static final int SCHEMA_NOT_FOUND = 40403;

    private final Class<? extends T> type;
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private AvroSerdeConfig config;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** Creates a deserializer that picks the reader class from the writer schema's name. */
    public AvroDeserializer() {
        this(null, null);
    }

    /** Creates a deserializer that reads into {@code type}, a generated class. */
    public AvroDeserializer(Class<? extends T> type) {
        this(type, null);
    }

    /**
     * Creates a deserializer that reads into {@code type} (or, when null, picks the class from the
     * writer schema) and uses {@code client}, which the caller keeps and closes.
     */
    public AvroDeserializer(Class<? extends T> type, SchemaRegistryClient client) {
        this.type = type;
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
        if (client == null) {
            client = SchemaRegistryClients.create(configs);
            ownsClient = true;
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new SerializationException(
                    "Avro deserializer for topic '" + topic + "' was used before configure()");
        }
        int id = WireFormat.schemaId(topic, data);
        DatumReader<T> reader = readers.computeIfAbsent(id, i -> reader(topic, i));
        return decode(topic, id, reader, data);
    }

    private T decode(String topic, int id, DatumReader<T> reader, byte[] data) {
        int length = data.length - WireFormat.HEADER_SIZE;
        BinaryDecoder decoder =
                DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, length, null);
        try {
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException("bytes left over after the record");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    String.format(
                            "cannot deserialize a record of %d bytes from topic '%s' with schema"
                                    + " id %d: %s",
                            data.length, topic, id, e),
                    e);
        }
    }

    private DatumReader<T> reader(String topic, int id) {
        Schema writer = writerSchema(topic, id);
        try {
            Class<?> target = readerClass(writer);
            if (target == null) {
                return new GenericDatumReader<>(writer);
            }
            SpecificData data = SpecificData.getForClass(target);
            return new SpecificDatumReader<>(writer, data.getSchema(target), data);
        } catch (RuntimeException e) {
            throw new SerializationException(
                    String.format(
                            "cannot read %s (schema id %d) from topic '%s' as %s: %s",
                            writer.getFullName(), id, topic, type, e.getMessage()),
                    e);
        }
    }

    private Schema writerSchema(String topic, int id) {
        try {
            return client.schemaById(id);
        } catch (SchemaRegistryUnreachableException e) {
            throw new SerializationException(
                    String.format(
                            "cannot deserialize a record from topic '%s' with schema id %d: the"
                                    + " schema registry at %s is unreachable, so the writer schema"
                                    + " cannot be fetched; the record is fine, retry once the"
                                    + " registry is back (%s)",
                            topic, id, String.join(", ", e.urls()), e.getMessage()),
                    e);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SCHEMA_NOT_FOUND) {
                throw new SerializationException(
                        String.format(
                                "cannot deserialize a record from topic '%s': schema id %d is"
                                        + " unknown to the registry (error %d); the record was"
                                        + " written through another registry, or its bytes are"
                                        + " not in the registry wire format: %s",
                                topic, id, SCHEMA_NOT_FOUND, e.getMessage()),
                        e);
            }
            throw new SerializationException(
                    String.format(
                            "cannot deserialize a record from topic '%s': the schema registry"
                                    + " failed to return schema id %d: %s",
                            topic, id, e.getMessage()),
                    e);
        }
    }

    private Class<?> readerClass(Schema writer) {
        if (type != null && SpecificRecord.class.isAssignableFrom(type)) {
            return type;
        }
        if (type != null || !config.specificAvroReader()) {
            return null;
        }
        Class<?> generated = SpecificData.get().getClass(writer);
        if (generated == null || !SpecificRecord.class.isAssignableFrom(generated)) {
            throw new IllegalStateException(
                    "no generated class "
                            + writer.getFullName()
                            + " on the classpath; add it or set "
                            + AvroSerdeConfig.SPECIFIC_AVRO_READER
                            + "=false");
        }
        return generated;
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
