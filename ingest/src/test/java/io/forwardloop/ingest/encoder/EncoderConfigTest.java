package io.forwardloop.ingest.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EncoderConfigTest {

    @Test
    void shouldDefaultToBgeWithItsOwnMaxLengthAndOneThread() {
        EncoderConfig config = new EncoderConfig(Map.of());

        assertThat(config.encoderId()).isEqualTo(EncoderId.BGE_SMALL_Q);
        assertThat(config.maxSequenceLength()).isEqualTo(512);
        assertThat(config.intraOpThreads()).isEqualTo(1);
    }

    @Test
    void shouldTakeTheChosenEncodersDefaultMaxLength() {
        EncoderConfig config = new EncoderConfig(Map.of(EncoderConfig.ENCODER_ID, "minilm-q"));

        assertThat(config.maxSequenceLength()).isEqualTo(256);
    }

    @Test
    void shouldAcceptExplicitSettingsAsStrings() {
        EncoderConfig config =
                new EncoderConfig(
                        Map.of(
                                EncoderConfig.ENCODER_ID, "minilm",
                                EncoderConfig.MAX_SEQUENCE_LENGTH, "64",
                                EncoderConfig.INTRA_OP_THREADS, "2"));

        assertThat(config.encoderId()).isEqualTo(EncoderId.MINILM);
        assertThat(config.maxSequenceLength()).isEqualTo(64);
        assertThat(config.intraOpThreads()).isEqualTo(2);
    }

    @Test
    void shouldRejectUnknownEncoderListingTheAcceptedIds() {
        assertThatThrownBy(() -> new EncoderConfig(Map.of(EncoderConfig.ENCODER_ID, "gpt")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("encoder.id")
                .hasMessageContaining("bge-small-q, minilm, minilm-q");
    }

    @Test
    void shouldRejectMaxLengthOutsideWhatTheModelsAccept() {
        assertThatThrownBy(() -> new EncoderConfig(Map.of(EncoderConfig.MAX_SEQUENCE_LENGTH, 513)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("encoder.max.sequence.length")
                .hasMessageContaining("between 3 and 512");
        assertThatThrownBy(() -> new EncoderConfig(Map.of(EncoderConfig.MAX_SEQUENCE_LENGTH, 2)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("between 3 and 512");
    }

    @Test
    void shouldRejectFewerThanOneThread() {
        assertThatThrownBy(() -> new EncoderConfig(Map.of(EncoderConfig.INTRA_OP_THREADS, 0)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("encoder.intra.op.threads");
    }

    @Test
    void shouldDocumentEveryKey() {
        assertThat(EncoderConfig.configDef().names())
                .containsExactlyInAnyOrder(
                        "encoder.id", "encoder.max.sequence.length", "encoder.intra.op.threads");
        assertThat(EncoderConfig.configDef().configKeys().values())
                .allSatisfy(key -> assertThat(key.documentation).isNotBlank());
    }
}
