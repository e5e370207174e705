package io.forwardloop.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void shouldFrameWithMagicByteAndBigEndianSchemaId() {
        byte[] framed = WireFormat.frame(0x01020304, new byte[] {9, 8});
        assertThat(framed).containsExactly(0, 1, 2, 3, 4, 9, 8);
        assertThat(WireFormat.schemaId("t", framed)).isEqualTo(0x01020304);
    }

    @Test
    void shouldReadLargeIdsUnsignedByteByByte() {
        byte[] framed = WireFormat.frame(0x00ff00fe, new byte[0]);
        assertThat(framed).containsExactly(0, 0, 0xff, 0, 0xfe);
        assertThat(WireFormat.schemaId("t", framed)).isEqualTo(0x00ff00fe);
    }

    @Test
    void shouldRejectAWrongMagicByteNamingTheTopic() {
        assertThatThrownBy(() -> WireFormat.schemaId("raw-feedback", new byte[] {1, 0, 0, 0, 7}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'raw-feedback'")
                .hasMessageContaining("starts with byte 1");
    }

    @Test
    void shouldRejectAPayloadShorterThanTheHeader() {
        assertThatThrownBy(() -> WireFormat.schemaId("feedback", new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'feedback'")
                .hasMessageContaining("has 3 bytes");
    }
}
