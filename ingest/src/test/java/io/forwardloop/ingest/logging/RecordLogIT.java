package io.forwardloop.ingest.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.ingest.gateway.Gateway;
import io.forwardloop.ingest.gateway.GatewayConfig;
import io.forwardloop.ingest.gateway.GatewayTesting;
import io.forwardloop.ingest.gateway.GatewayTesting.Answer;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.InferenceRecord;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer reaches {@code raw-inference-records} on a real broker; while the broker is down the
 * gateway keeps answering, drops beyond its buffer and counts them, and its readiness says the log
 * is unavailable; records flow again after the broker returns.
 */
class RecordLogIT {
    @TempDir Path dataDir;

    @Test
    void shouldKeepAnsweringWhileKafkaIsDownAndLogAgainAfterItReturns() throws IOException {
        int kafkaPort = freePort();
        int registryPort = freePort();
        EmbeddedPlatform first = platform(kafkaPort, registryPort).start();
        EmbeddedPlatform[] current = {first};
        Map<String, Object> config = new HashMap<>();
        config.put(GatewayConfig.HTTP_PORT, 0);
        config.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        config.put(GatewayConfig.ADAPTERS, "sentiment:negative|positive");
        config.put(GatewayConfig.REDACTION, "none");
        config.put(GatewayConfig.LOG_BUFFER_MAX_RECORDS, 5);
        config.put(GatewayConfig.LOG_WARN_INTERVAL_MS, 0);
        config.put(ClusterConnection.BOOTSTRAP_SERVERS, first.bootstrapServers());
        config.put(ClusterConnection.SCHEMA_REGISTRY_URL, first.schemaRegistryUrl());
        try (Gateway gateway =
                Gateway.builder()
                        .config(config)
                        .encoder(GatewayTesting.encoder())
                        .build()
                        .start()) {
            // records flow
            List<String> before = predict(gateway, 3);
            Set<String> logged = ConcurrentHashMap.newKeySet();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> readIds(first, logged).containsAll(before));

            // the broker goes away: answers continue, the overflow is dropped and counted
            first.close();
            List<String> during = predict(gateway, 20);
            assertThat(during).hasSize(20);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> gateway.records().status().dropped() >= 10);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> kafkaState(gateway).equals("UNAVAILABLE"));
            Answer ready = GatewayTesting.get(gateway.url() + "/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body().get("kafka").get("dropped").asLong())
                    .isGreaterThanOrEqualTo(10);
            assertThat(gateway.meters().scrape()).contains("gateway_log_dropped_total");

            // the broker returns: new records flow again
            EmbeddedPlatform restarted = platform(kafkaPort, registryPort).start();
            current[0] = restarted;
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> gateway.records().status().buffered() == 0);
            List<String> after = predict(gateway, 3);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> readIds(restarted, logged).containsAll(after));
            assertThat(gateway.records().status().state()).isEqualTo(RecordLog.State.CONNECTED);
            assertThat(kafkaState(gateway)).isEqualTo("CONNECTED");
            assertThat(during.stream().filter(logged::contains)).hasSizeGreaterThanOrEqualTo(5);
        } finally {
            current[0].close();
        }
    }

    /** The record log's state as the readiness endpoint reports it. */
    private static String kafkaState(Gateway gateway) {
        return GatewayTesting.get(gateway.url() + "/ready")
                .body()
                .get("kafka")
                .get("state")
                .asText();
    }

    private EmbeddedPlatform platform(int kafkaPort, int registryPort) {
        return EmbeddedPlatform.builder()
                .dataDir(dataDir)
                .kafkaPort(kafkaPort)
                .schemaRegistryPort(registryPort)
                .build();
    }

    private static List<String> predict(Gateway gateway, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Answer answer =
                    GatewayTesting.postJson(
                            gateway.url() + "/v1/predict",
                            Map.of("adapter", "sentiment", "text", "sentence " + i));
            assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
            ids.add(answer.body().get("request_id").asText());
        }
        return ids;
    }

    private static Set<String> readIds(EmbeddedPlatform platform, Set<String> into) {
        Map<String, Object> props = new HashMap<>(platform.connection().kafkaProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var serde =
                        Topics.RAW_INFERENCE_RECORDS.valueSerde(
                                platform.connection().serdeConfig());
                KafkaConsumer<String, InferenceRecord> consumer =
                        new KafkaConsumer<>(
                                props, new StringDeserializer(), serde.deserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.RAW_INFERENCE_RECORDS.name()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            consumer.poll(Duration.ofMillis(1_000)).forEach(r -> into.add(r.key()));
        }
        return into;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
