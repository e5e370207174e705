package io.forwardloop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryClients;
import io.forwardloop.schemas.serde.AvroDeserializer;
import io.forwardloop.schemas.serde.AvroSerde;
import io.forwardloop.schemas.serde.WireFormat;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPlatformIT {
    @TempDir static Path sharedDir;
    static EmbeddedPlatform platform;

    @BeforeAll
    static void startPlatform() {
        platform = EmbeddedPlatform.builder().dataDir(sharedDir).build().start();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void shouldCreateEveryDeclaredTopicWithItsCleanupPolicyAndPartitions() throws Exception {
        try (Admin admin = Admin.create(platform.connection().kafkaProperties())) {
            List<String> names = Topics.all().stream().map(Topic::name).toList();
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(names).allTopicNames().get();
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(names.stream().map(EmbeddedPlatformIT::topic).toList())
                            .all()
                            .get();

            for (Topic<?, ?> handle : Topics.all()) {
                Config config = configs.get(topic(handle.name()));
                assertThat(config.get("cleanup.policy").value())
                        .as(handle.name())
                        .isEqualTo(handle.cleanupPolicy().configValue());
                handle.extraConfigs()
                        .forEach((k, v) -> assertThat(config.get(k).value()).isEqualTo(v));
                assertThat(descriptions.get(handle.name()).partitions())
                        .hasSize(handle.defaultPartitions());
            }
        }
    }

    @Test
    void shouldServeTheSchemaRegistryAtItsUrl() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(platform.schemaRegistryUrl() + "/subjects"))
                        .timeout(Duration.ofSeconds(10))
                        .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("[");
    }

    @Test
    void shouldCarryFeedbackThroughTheAvroSerdesOverAnExternalStyleConnection() {
        ClusterConnection external =
                ClusterConnection.from(
                        Map.of(
                                ClusterConnection.BOOTSTRAP_SERVERS, platform.bootstrapServers(),
                                ClusterConnection.SCHEMA_REGISTRY_URL,
                                        platform.schemaRegistryUrl()));
        Feedback sent = feedback();

        produce(external, sent);

        assertThat(consumeOne(external, sent.getRequestId().toString())).isEqualTo(sent);
    }

    @Test
    void shouldFindEveryTopicInPlaceThroughAnExternalStyleConnection() {
        ClusterConnection external =
                ClusterConnection.plaintext(
                        platform.bootstrapServers(), platform.schemaRegistryUrl());

        try (Admin admin = Admin.create(external.kafkaProperties())) {
            TopicSetup.Result result = TopicSetup.builder().build().apply(admin);

            assertThat(result.created()).isEmpty();
            assertThat(result.existing()).hasSize(Topics.all().size());
        }
    }

    @Test
    void shouldKeepTopicsAndClusterIdAndFreeItsPortsWhenRestarted(@TempDir Path dataDir)
            throws Exception {
        String clusterId;
        int kafkaPort;
        try (EmbeddedPlatform first = EmbeddedPlatform.builder().dataDir(dataDir).build().start()) {
            clusterId = first.clusterId();
            kafkaPort = Integer.parseInt(first.bootstrapServers().split(":")[1]);
            assertThat(first.topics().created()).hasSize(Topics.all().size());
        }
        assertThat(canBind(kafkaPort)).isTrue();

        try (EmbeddedPlatform second =
                EmbeddedPlatform.builder().dataDir(dataDir).build().start()) {
            assertThat(second.clusterId()).isEqualTo(clusterId);
            assertThat(second.topics().created()).isEmpty();
            assertThat(second.topics().existing()).hasSize(Topics.all().size());
        }
    }

    @Test
    void shouldKeepAvroRecordsAndTheirSchemaIdsWhenRestarted(@TempDir Path dataDir) {
        List<Feedback> sent = List.of(feedback(), feedback(), feedback());
        String subject = Topics.FEEDBACK.name() + "-value";
        int id;
        String firstRegistry;
        try (EmbeddedPlatform first = EmbeddedPlatform.builder().dataDir(dataDir).build().start()) {
            firstRegistry = first.schemaRegistryUrl();
            sent.forEach(f -> produce(first.connection(), f));
            try (SchemaRegistryClient registry = registryOf(first)) {
                id = registry.latest(subject).id();
            }
        }

        try (EmbeddedPlatform second =
                EmbeddedPlatform.builder().dataDir(dataDir).build().start()) {
            assertThat(second.schemaRegistryUrl()).isNotEqualTo(firstRegistry);
            Map<String, byte[]> stored = consumeRaw(second.connection(), sent.size());
            try (AvroDeserializer<Feedback> fresh = new AvroDeserializer<>(Feedback.class)) {
                fresh.configure(second.connection().serdeConfig(), false);
                for (Feedback feedback : sent) {
                    byte[] bytes = stored.get(feedback.getRequestId());
                    assertThat(bytes).as(feedback.getRequestId()).isNotNull();
                    assertThat(WireFormat.schemaId(Topics.FEEDBACK.name(), bytes)).isEqualTo(id);
                    assertThat(fresh.deserialize(Topics.FEEDBACK.name(), bytes))
                            .isEqualTo(feedback);
                }
            }
            try (SchemaRegistryClient registry = registryOf(second)) {
                assertThat(registry.register(subject, Feedback.getClassSchema())).isEqualTo(id);
                assertThat(registry.latest(subject).version()).isEqualTo(1);
            }
        }
    }

    private static SchemaRegistryClient registryOf(EmbeddedPlatform platform) {
        return SchemaRegistryClients.create(platform.connection().serdeConfig());
    }

    /** Reads {@code count} records of the feedback topic as bytes, by key. */
    private static Map<String, byte[]> consumeRaw(ClusterConnection connection, int count) {
        Map<String, Object> props = connection.kafkaProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, byte[]> values = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.FEEDBACK.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.put(r.key(), r.value()));
            }
        }
        return values;
    }

    private static Feedback feedback() {
        return Feedback.newBuilder()
                .setFeedbackId(UUID.randomUUID().toString())
                .setRequestId(UUID.randomUUID().toString())
                .setKind(FeedbackKind.LABEL)
                .setLabel("positive")
                .setTimestampMs(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setSource("test")
                .build();
    }

    private static void produce(ClusterConnection connection, Feedback feedback) {
        try (AvroSerde<Feedback> serde = Topics.FEEDBACK.valueSerde(connection.serdeConfig());
                KafkaProducer<String, Feedback> producer =
                        new KafkaProducer<>(
                                connection.kafkaProperties(),
                                new StringSerializer(),
                                serde.serializer())) {
            String key = feedback.getRequestId().toString();
            producer.send(new ProducerRecord<>(Topics.FEEDBACK.name(), key, feedback));
            producer.flush();
        }
    }

    private static Feedback consumeOne(ClusterConnection connection, String key) {
        Map<String, Object> props = connection.kafkaProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (AvroSerde<Feedback> serde = Topics.FEEDBACK.valueSerde(connection.serdeConfig());
                KafkaConsumer<String, Feedback> consumer =
                        new KafkaConsumer<>(
                                props, new StringDeserializer(), serde.deserializer())) {
            consumer.subscribe(List.of(Topics.FEEDBACK.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, Feedback> records = consumer.poll(Duration.ofMillis(200));
                for (var record : records) {
                    if (record.key().equals(key)) {
                        return record.value();
                    }
                }
            }
        }
        return null;
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }
}
