package io.forwardloop.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Rules between gateway keys, checked where the configuration is read. */
class GatewayConfigTest {
    private static final String ADAPTERS = "sentiment:negative|positive";

    @Test
    void shouldRefuseMoreTextsPerRequestThanTheQueueHolds() {
        assertThatThrownBy(
                        () ->
                                new GatewayConfig(
                                        Map.of(
                                                GatewayConfig.ADAPTERS, ADAPTERS,
                                                GatewayConfig.BATCH_MAX_TEXTS, 100,
                                                GatewayConfig.QUEUE_MAX_TEXTS, 50)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateway.batch.max.texts")
                .hasMessageContaining("gateway.queue.max.texts (50)");
    }

    @Test
    void shouldAcceptAQueueAsLargeAsOneRequest() {
        GatewayConfig config =
                new GatewayConfig(
                        Map.of(
                                GatewayConfig.ADAPTERS, ADAPTERS,
                                GatewayConfig.BATCH_MAX_TEXTS, 50,
                                GatewayConfig.QUEUE_MAX_TEXTS, 50));

        assertThat(config.queueMaxTexts()).isEqualTo(config.batchMaxTexts());
    }
}
