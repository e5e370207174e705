package io.forwardloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedKafka;
import io.forwardloop.platform.TopicSetup;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.schemaregistry.SchemaRegistryServer;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterEvent;
import io.forwardloop.schemas.avro.AdapterEventType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alias moves reach {@code adapter-events} through the outbox, also across a broker outage, with
 * the registry on H2 and on PostgreSQL.
 */
class OutboxIT {
    @TempDir Path dataDir;

    private TestDatabase database;
    private int kafkaPort;
    private EmbeddedKafka kafka;
    private SchemaRegistryServer schemaRegistry;
    private ModelRegistryServer registry;
    private RegistryClient client;

    private void start(String kind) throws IOException {
        database = TestDatabase.create(kind, dataDir.resolve("registry"));
        kafkaPort = freePort();
        kafka = startKafka();
        schemaRegistry =
                SchemaRegistryServer.builder()
                        .port(0)
                        .dataDir(dataDir.resolve("sr"))
                        .build()
                        .start();
        try (Admin admin = Admin.create(connection().kafkaProperties())) {
            TopicSetup.builder().build().apply(admin);
        }
        registry =
                database.registry()
                        .authDisabled(true)
                        .kafka(connection().clientProperties())
                        .config(
                                Map.of(
                                        RegistryConfig.OUTBOX_POLL_INTERVAL_MS, 100L,
                                        RegistryConfig.OUTBOX_BACKOFF_MAX_MS, 500L,
                                        RegistryConfig.OUTBOX_SEND_TIMEOUT_MS, 2000L))
                        .build()
                        .start();
        client = RegistryClient.builder().url(registry.url()).build();
    }

    private EmbeddedKafka startKafka() {
        return EmbeddedKafka.builder().dataDir(dataDir).port(kafkaPort).build().start();
    }

    private ClusterConnection connection() {
        return ClusterConnection.plaintext("127.0.0.1:" + kafkaPort, schemaRegistry.url());
    }

    @AfterEach
    void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (schemaRegistry != null) {
            schemaRegistry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @OnEachDatabase
    void shouldPublishEveryAliasMoveKeyedByAdapterAndAlias(String kind) throws IOException {
        start(kind);
        AdapterVersion v1 = publish("sentiment", "one");
        publish("sentiment", "two");

        client.promote("sentiment", "serving", 1);
        client.promote("sentiment", "serving", 2);
        client.rollback("sentiment", "serving");

        List<ConsumerRecord<String, AdapterEvent>> events = consume(3);
        assertThat(events).extracting(ConsumerRecord::key).containsOnly("sentiment/serving");
        assertThat(events)
                .extracting(r -> r.value().getEventType())
                .containsExactly(
                        AdapterEventType.PROMOTED,
                        AdapterEventType.PROMOTED,
                        AdapterEventType.ROLLED_BACK);
        AdapterEvent last = events.get(2).value();
        assertThat(last.getVersion()).isEqualTo(1);
        assertThat(last.getPreviousVersion()).isEqualTo(2);
        assertThat(last.getArtifactSha256()).isEqualTo(v1.artifactSha256());
    }

    @OnEachDatabase
    void shouldDeliverAMoveMadeWhileTheBrokerWasDown(String kind) throws IOException {
        start(kind);
        publish("sentiment", "one");
        AdapterVersion v2 = publish("sentiment", "two");
        client.promote("sentiment", "serving", 1);
        assertThat(consume(1)).hasSize(1);

        kafka.close();
        AliasInfo moved = client.promote("sentiment", "serving", 2);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(10))
                .until(() -> readyBody().contains("\"outbox_pending\":1"));
        kafka = startKafka();

        List<ConsumerRecord<String, AdapterEvent>> events = consume(2);
        AdapterEvent delivered = events.get(1).value();
        assertThat(moved.version()).isEqualTo(2);
        assertThat(delivered.getEventType()).isEqualTo(AdapterEventType.PROMOTED);
        assertThat(delivered.getVersion()).isEqualTo(2);
        assertThat(delivered.getArtifactSha256()).isEqualTo(v2.artifactSha256());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> readyBody().contains("\"outbox_pending\":0"));
    }

    private AdapterVersion publish(String name, String content) {
        return client.publish(
                name, content.getBytes(StandardCharsets.UTF_8), HttpApiIT.meta(0.5, null));
    }

    private String readyBody() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var request =
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(registry.url() + "/ready"))
                        .build();
        return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Reads adapter-events from the start until {@code count} records arrived. */
    private List<ConsumerRecord<String, AdapterEvent>> consume(int count) {
        Map<String, Object> props = new HashMap<>(connection().kafkaProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "outbox-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, AdapterEvent>> records = new ArrayList<>();
        try (KafkaConsumer<String, AdapterEvent> consumer =
                new KafkaConsumer<>(
                        props,
                        new StringDeserializer(),
                        Topics.ADAPTER_EVENTS
                                .valueSerde(connection().serdeConfig())
                                .deserializer())) {
            consumer.subscribe(List.of(Topics.ADAPTER_EVENTS.name()));
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                                return records.size() >= count;
                            });
        }
        records.sort(
                java.util.Comparator.comparingLong(r -> r.value().getTimestampMs().toEpochMilli()));
        return records;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
