package io.forwardloop.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.serde.AvroSerde;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldDeclareEveryTopicOnceWithAKebabCaseName() {
        assertThat(Topics.all())
                .extracting(Topic::name)
                .containsExactly(
                        "raw-inference-records",
                        "raw-feedback",
                        "inference-records",
                        "feedback",
                        "holdout",
                        "zo-signals",
                        "ff-examples",
                        "adapter-steps",
                        "adapter-events",
                        "dead-letters")
                .doesNotHaveDuplicates()
                .allMatch(name -> name.matches("[a-z]+(-[a-z]+)*"));
    }

    @Test
    void shouldCoPartitionRecordsAndFeedbackForTheJoin() {
        assertThat(Topics.INFERENCE_RECORDS.defaultPartitions())
                .isEqualTo(Topics.FEEDBACK.defaultPartitions())
                .isEqualTo(Topics.RAW_INFERENCE_RECORDS.defaultPartitions())
                .isEqualTo(Topics.RAW_FEEDBACK.defaultPartitions());
    }

    @Test
    void shouldKeepTheStepLogForeverAndCompactAdapterEvents() {
        assertThat(Topics.ADAPTER_STEPS.topicConfigs())
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "-1");
        assertThat(Topics.ADAPTER_EVENTS.cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
        assertThat(Topics.ADAPTER_EVENTS.topicConfigs()).containsEntry("cleanup.policy", "compact");
        assertThat(Topics.adapterAliasKey("sentiment", "production"))
                .isEqualTo("sentiment/production");
    }

    @Test
    void shouldRoundTripStringKeys() {
        var serde = Topics.HOLDOUT.keySerde();
        byte[] bytes = serde.serializer().serialize("holdout", "req-1");
        assertThat(serde.deserializer().deserialize("holdout", bytes)).isEqualTo("req-1");
    }

    @Test
    void shouldConfigureTheValueSerdeWithoutContactingTheRegistry() {
        try (AvroSerde<InferenceRecord> serde =
                Topics.INFERENCE_RECORDS.valueSerde(
                        Map.of("schema.registry.url", "http://localhost:1"))) {
            assertThat(serde.serializer().serialize("inference-records", null)).isNull();
        }
    }

    @Test
    void shouldNameTheMissingKeyWhenTheValueSerdeIsMisconfigured() {
        assertThatThrownBy(() -> Topics.FEEDBACK.valueSerde(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldRefuseATopicWithoutPartitions() {
        assertThatThrownBy(
                        () ->
                                new Topic<>(
                                        "empty",
                                        Serdes.String(),
                                        InferenceRecord.class,
                                        CleanupPolicy.DELETE,
                                        0,
                                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty")
                .hasMessageContaining("at least 1 partition");
    }
}
