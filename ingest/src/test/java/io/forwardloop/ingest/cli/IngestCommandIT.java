package io.forwardloop.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.ingest.gateway.GatewayTesting;
import io.forwardloop.ingest.gateway.GatewayTesting.Answer;
import io.forwardloop.ingest.streams.IngestRecords;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.serde.AvroSerde;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code ingest} command on the embedded platform: it becomes ready, moves a valid raw record
 * to {@code inference-records} and a malformed one to {@code dead-letters}, counts both on {@code
 * /metrics}, and exits 0 when stopped as SIGTERM stops it.
 */
class IngestCommandIT {
    @TempDir Path dir;

    @Test
    void shouldValidateAndDeadLetterUntilStoppedAndThenExitZero() throws Exception {
        try (EmbeddedPlatform platform =
                EmbeddedPlatform.builder().dataDir(dir.resolve("platform")).build().start()) {
            Path config = dir.resolve("ingest.properties");
            Files.writeString(
                    config,
                    "kafka.bootstrap.servers="
                            + platform.bootstrapServers()
                            + "\nschema.registry.url="
                            + platform.schemaRegistryUrl()
                            + "\ningest.adapters=sentiment\n");
            IngestCommand command = new IngestCommand();
            StringWriter err = new StringWriter();
            CommandLine line = new CommandLine(command).setErr(new PrintWriter(err, true));
            CompletableFuture<Integer> exit =
                    CompletableFuture.supplyAsync(
                            () ->
                                    line.execute(
                                            "--config",
                                            config.toString(),
                                            "--set",
                                            "ingest.http.port=0",
                                            "--set",
                                            "ingest.application.id=ingest-it",
                                            "--set",
                                            "ingest.state.dir=" + dir.resolve("state")));
            int port = command.awaitStarted();
            assertThat(port).as(err.toString()).isPositive();
            String url = "http://127.0.0.1:" + port;

            assertThat(GatewayTesting.get(url + "/health").status()).isEqualTo(200);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> GatewayTesting.get(url + "/ready").status() == 200);
            assertThat(GatewayTesting.get(url + "/ready").body().get("state").asText())
                    .isEqualTo("RUNNING");

            // a valid record passes, a malformed one is dead-lettered
            byte[] valid = serialize(platform, IngestRecords.logged("r-1"));
            send(platform, "r-1", valid);
            send(platform, "r-2", "not an inference record".getBytes());
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> read(platform, Topics.INFERENCE_RECORDS.name()).size() == 1);
            List<ConsumerRecord<String, byte[]>> passed =
                    read(platform, Topics.INFERENCE_RECORDS.name());
            assertThat(passed.get(0).key()).isEqualTo("r-1");
            assertThat(passed.get(0).value()).isEqualTo(valid);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> read(platform, Topics.DEAD_LETTERS.name()).size() == 1);
            DeadLetter letter = deadLetter(platform);
            assertThat(letter.getReason()).contains("not a valid record of its schema");
            assertThat(letter.getOriginalKey().array()).isEqualTo("r-2".getBytes());

            Answer metrics = GatewayTesting.get(url + "/metrics");
            assertThat(metrics.raw())
                    .contains(
                            "ingest_records_validated_total{topic=\"raw-inference-records\"} 1.0",
                            "ingest_records_dead_lettered_total{reason=\"not_deserializable\","
                                    + "topic=\"raw-inference-records\"} 1.0",
                            "ingest_running 1.0");

            // stopped as SIGTERM stops it: a clean exit
            command.stop();
            assertThat(exit.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
        }
    }

    private static byte[] serialize(EmbeddedPlatform platform, InferenceRecord record) {
        try (AvroSerde<InferenceRecord> serde =
                Topics.RAW_INFERENCE_RECORDS.valueSerde(platform.connection().serdeConfig())) {
            return serde.serializer().serialize(Topics.RAW_INFERENCE_RECORDS.name(), record);
        }
    }

    private static void send(EmbeddedPlatform platform, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        platform.connection().kafkaProperties(),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.RAW_INFERENCE_RECORDS.name(), key, value));
        }
    }

    /** What {@code read_committed} readers see on {@code topic}. */
    private static List<ConsumerRecord<String, byte[]>> read(
            EmbeddedPlatform platform, String topic) {
        Map<String, Object> props = new HashMap<>(platform.connection().kafkaProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            consumer.poll(Duration.ofMillis(1_000)).forEach(records::add);
        }
        return records;
    }

    private static DeadLetter deadLetter(EmbeddedPlatform platform) {
        byte[] bytes = read(platform, Topics.DEAD_LETTERS.name()).get(0).value();
        try (AvroSerde<DeadLetter> serde =
                Topics.DEAD_LETTERS.valueSerde(platform.connection().serdeConfig())) {
            return serde.deserializer().deserialize(Topics.DEAD_LETTERS.name(), bytes);
        }
    }
}
