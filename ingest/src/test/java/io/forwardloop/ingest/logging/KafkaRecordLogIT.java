package io.forwardloop.ingest.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.ingest.streams.IngestRecords;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemaregistry.SchemaRegistryServer;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record log on a real broker and schema registry: a record that can never be serialised is
 * dropped at once and does not hold up the next; while the schema registry does not answer, records
 * are retried until their delivery timeout, and sent once it answers.
 */
class KafkaRecordLogIT {
    private static final long DELIVERY_TIMEOUT_MS = 10_000;

    @TempDir Path dir;

    @Test
    void shouldDropAnUnserializableRecordAndSendTheRecordsBehindIt() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (EmbeddedPlatform platform = platform();
                KafkaRecordLog log = log(platform, platform.connection().serdeConfig(), meters)) {
            InferenceRecord broken = new InferenceRecord();
            broken.setRequestId("broken");
            log.inference(broken);
            log.inference(IngestRecords.logged("after-the-broken-one"));

            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> keys(platform).contains("after-the-broken-one"));
            assertThat(keys(platform)).doesNotContain("broken");
            assertThat(dropped(meters, "unserializable")).isEqualTo(1.0);
            assertThat(log.status().dropped()).isEqualTo(1);
            assertThat(log.status().state()).isEqualTo(RecordLog.State.CONNECTED);
            assertThat(log.status().buffered()).isZero();
        }
    }

    @Test
    void shouldRetryWhileTheSchemaRegistryIsUnreachableWithinTheDeliveryTimeout()
            throws IOException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        int registryPort = freePort();
        Map<String, Object> serde =
                Map.of("schema.registry.url", "http://127.0.0.1:" + registryPort);
        try (EmbeddedPlatform platform = platform();
                KafkaRecordLog log = log(platform, serde, meters)) {
            // retried, not dropped at once, then dropped when its delivery timeout has passed
            log.inference(IngestRecords.logged("timed-out"));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> log.status().state() == RecordLog.State.UNAVAILABLE);
            assertThat(log.status().dropped()).isZero();
            assertThat(log.status().buffered()).isEqualTo(1);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> dropped(meters, "registry_unavailable") == 1.0);

            // a record queued while the registry is down is sent once it answers
            log.inference(IngestRecords.logged("retried"));
            SchemaRegistryServer registry =
                    SchemaRegistryServer.builder()
                            .port(registryPort)
                            .dataDir(dir.resolve("late-registry"))
                            .build()
                            .start();
            try {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> keys(platform).contains("retried"));
                assertThat(keys(platform)).doesNotContain("timed-out");
                assertThat(log.status().dropped()).isEqualTo(1);
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> log.status().state() == RecordLog.State.CONNECTED);
            } finally {
                registry.close();
            }
        }
    }

    private EmbeddedPlatform platform() {
        return EmbeddedPlatform.builder().dataDir(dir.resolve("platform")).build().start();
    }

    private static KafkaRecordLog log(
            EmbeddedPlatform platform, Map<String, Object> serde, SimpleMeterRegistry meters) {
        return new KafkaRecordLog(
                platform.connection().kafkaProperties(),
                serde,
                new KafkaRecordLog.Settings(10, DELIVERY_TIMEOUT_MS, 0),
                meters);
    }

    private static double dropped(SimpleMeterRegistry meters, String reason) {
        return meters.counter(
                        "gateway.log.dropped",
                        "topic",
                        Topics.RAW_INFERENCE_RECORDS.name(),
                        "reason",
                        reason)
                .count();
    }

    private static Set<String> keys(EmbeddedPlatform platform) {
        String topic = Topics.RAW_INFERENCE_RECORDS.name();
        Map<String, Object> props = new HashMap<>(platform.connection().kafkaProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Set<String> keys = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            consumer.poll(Duration.ofMillis(1_000)).forEach(r -> keys.add(r.key()));
        }
        return keys;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
