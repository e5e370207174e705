package io.forwardloop.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format of a serialized record: magic byte {@code 0}, the writer schema's
 * registry id as a 4-byte big-endian int, then the Avro binary encoding.
 */
public final class WireFormat {

    /** The first byte of every framed payload. */
    public static final byte MAGIC_BYTE = 0;

    /** Bytes before the Avro binary: the magic byte and the schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** Returns {@code avroBinary} framed with the magic byte and {@code schemaId}. */
    public static byte[] frame(int schemaId, byte[] avroBinary) {
        return ByteBuffer.allocate(HEADER_SIZE + avroBinary.length)
                .put(MAGIC_BYTE)
                .putInt(schemaId)
                .put(avroBinary)
                .array();
    }

    /**
     * Returns the schema id of a framed payload read from {@code topic}.
     *
     * @throws SerializationException naming the topic when the payload is too short or does not
     *     start with the magic byte
     */
    public static int schemaId(String topic, byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw new SerializationException(
                    String.format(
                            "record from topic '%s' has %d bytes, fewer than the %d-byte header of"
                                    + " the schema registry wire format; was it written by an"
                                    + " Avro serializer?",
                            topic, payload.length, HEADER_SIZE));
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException(
                    String.format(
                            "record from topic '%s' starts with byte %d, not the magic byte %d of"
                                    + " the schema registry wire format; was it written by an"
                                    + " Avro serializer?",
                            topic, payload[0], MAGIC_BYTE));
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }
}
