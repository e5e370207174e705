package io.forwardloop.ingest.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.ingest.gateway.Gateway;
import io.forwardloop.ingest.gateway.GatewayConfig;
import io.forwardloop.ingest.gateway.GatewayTesting;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterEvent;
import io.forwardloop.schemas.avro.AdapterEventType;
import io.forwardloop.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry source keeps following {@code adapter-events} through what fails: events it cannot
 * read are skipped and counted, and a broker that is not there yet is retried with backoff.
 */
class RegistryAdapterSourceResilienceIT {
    private static final List<String> LABELS = List.of("negative", "positive");
    private static final String ADAPTER = "sentiment";
    private static final String SERVING = "serving";

    @TempDir Path dir;

    @Test
    void shouldSkipEventsItCannotReadAndServeTheMovesAfterThem() {
        try (EmbeddedPlatform platform = platform(0, 0);
                ModelRegistryServer registry = registry(platform, 0)) {
            RegistryClient client = client(registry);
            client.promote(ADAPTER, SERVING, publish(client, 1));
            try (Gateway gateway = gateway(platform, registry)) {
                assertThat(servedVersion(gateway)).isEqualTo(1);

                // bytes that are no event, and an event whose hash is no SHA-256
                sendEvent(platform, "sentiment/serving", "not an adapter event".getBytes());
                sendEvent(platform, "sentiment/serving", serialize(platform, badHashEvent()));
                await().atMost(Duration.ofSeconds(30)).until(() -> malformed(gateway) == 2.0);

                // the follower is still there: the next promotion is served
                client.promote(ADAPTER, SERVING, publish(client, 2));
                await().atMost(Duration.ofSeconds(30)).until(() -> servedVersion(gateway) == 2);

                JsonNode source =
                        GatewayTesting.get(gateway.url() + "/ready").body().get("adapter_source");
                assertThat(source.get("state").asText()).isEqualTo("FOLLOWING");
                assertThat(source.get("errors").asLong()).isEqualTo(2);
                assertThat(source.get("last_error").asText())
                        .contains("malformed_event", "is not a lower-case hex SHA-256");
                assertThat(gateway.meters().scrape())
                        .contains("adapter_source_errors_total{reason=\"malformed_event\"} 2.0");
            }
        }
    }

    @Test
    void shouldRetryABrokerThatIsNotThereYetAndFollowOnceItIs() throws IOException {
        int kafkaPort = freePort();
        int schemaRegistryPort = freePort();
        int registryPort = freePort();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<AdapterArtifact> delivered = new CopyOnWriteArrayList<>();
        String token = UUID.randomUUID().toString();
        RegistryClient client =
                RegistryClient.builder()
                        .url("http://127.0.0.1:" + registryPort)
                        .token(token)
                        .build();
        Map<String, Object> kafka = new HashMap<>();
        kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        kafka.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        kafka.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
        Map<String, Object> serde =
                Map.of("schema.registry.url", "http://127.0.0.1:" + schemaRegistryPort);
        try (RegistryAdapterSource source =
                new RegistryAdapterSource(
                        client, kafka, serde, SERVING, Set.of(ADAPTER), 384, meters)) {
            source.start(delivered::add);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> source.status().state() == AdapterSource.State.RETRYING);
            assertThat(meters.counter("adapter.source.errors", "reason", "kafka").count())
                    .isPositive();

            try (EmbeddedPlatform platform = platform(kafkaPort, schemaRegistryPort);
                    ModelRegistryServer registry = registry(platform, registryPort, token)) {
                client.promote(ADAPTER, SERVING, publish(client, 3));

                await().atMost(Duration.ofSeconds(90)).until(() -> !delivered.isEmpty());
                assertThat(delivered.get(0).version()).isEqualTo(1);
                assertThat(delivered.get(0).origin()).contains(":" + registry.config().httpPort());
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> source.status().state() == AdapterSource.State.FOLLOWING);
            }
        }
    }

    private EmbeddedPlatform platform(int kafkaPort, int schemaRegistryPort) {
        return EmbeddedPlatform.builder()
                .dataDir(dir.resolve("platform"))
                .kafkaPort(kafkaPort)
                .schemaRegistryPort(schemaRegistryPort)
                .build()
                .start();
    }

    private ModelRegistryServer registry(EmbeddedPlatform platform, int port) {
        return registry(platform, port, UUID.randomUUID().toString());
    }

    private ModelRegistryServer registry(EmbeddedPlatform platform, int port, String token) {
        return ModelRegistryServer.builder()
                .port(port)
                .dataDir(dir.resolve("registry"))
                .authToken(token)
                .kafka(platform.connection().clientProperties())
                .build()
                .start();
    }

    private static RegistryClient client(ModelRegistryServer registry) {
        return RegistryClient.builder()
                .url(registry.url())
                .token(registry.config().authToken())
                .build();
    }

    private static long publish(RegistryClient client, long seed) {
        AdapterSpec spec = AdapterSpec.lowRankClassifier(384, 8, LABELS).build();
        byte[] artifact = OnnxAdapterFile.toBytes(GatewayTesting.trained(spec, seed), 1, 1);
        AdapterMetadata metadata =
                new AdapterMetadata(
                        "LOW_RANK_CLASSIFIER",
                        "minilm-q",
                        LABELS,
                        Map.of("accuracy", 0.5),
                        Map.of("rank", 8, "seed", seed),
                        null);
        return client.publish(ADAPTER, artifact, metadata).version();
    }

    private static Gateway gateway(EmbeddedPlatform platform, ModelRegistryServer registry) {
        Map<String, Object> config = new HashMap<>();
        config.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        config.put(GatewayConfig.HTTP_PORT, 0);
        config.put(GatewayConfig.ADAPTERS, ADAPTER + ":" + String.join("|", LABELS));
        config.put(GatewayConfig.ADAPTER_SOURCE, "registry");
        config.put(GatewayConfig.REGISTRY_URL, registry.url());
        config.put(GatewayConfig.REGISTRY_TOKEN, registry.config().authToken());
        config.put(ClusterConnection.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        config.put(ClusterConnection.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
        return Gateway.builder()
                .config(config)
                .encoder(GatewayTesting.encoder())
                .recordLog(new GatewayTesting.CapturingLog())
                .build()
                .start();
    }

    private static AdapterEvent badHashEvent() {
        return AdapterEvent.newBuilder()
                .setAdapterName(ADAPTER)
                .setAlias(SERVING)
                .setVersion(7)
                .setArtifactSha256("not-a-sha")
                .setEventType(AdapterEventType.PROMOTED)
                .setTimestampMs(Instant.now())
                .build();
    }

    private static byte[] serialize(EmbeddedPlatform platform, AdapterEvent event) {
        try (AvroSerde<AdapterEvent> serde =
                Topics.ADAPTER_EVENTS.valueSerde(platform.connection().serdeConfig())) {
            return serde.serializer().serialize(Topics.ADAPTER_EVENTS.name(), event);
        }
    }

    private static void sendEvent(EmbeddedPlatform platform, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        platform.connection().kafkaProperties(),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.ADAPTER_EVENTS.name(), key, value));
        }
    }

    private static long servedVersion(Gateway gateway) {
        return gateway.adapters().current(ADAPTER).orElseThrow().version();
    }

    private static double malformed(Gateway gateway) {
        return gateway.meters()
                .counter("adapter.source.errors", "reason", "malformed_event")
                .count();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
