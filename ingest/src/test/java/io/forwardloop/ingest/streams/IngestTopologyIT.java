package io.forwardloop.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.serde.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest topology on a real broker: valid records pass once, invalid ones dead-letter. */
class IngestTopologyIT {
    @TempDir Path dataDir;
    @TempDir Path stateDir;

    @Test
    void shouldValidateDedupeAndDeadLetterOnTheEmbeddedBroker() {
        try (EmbeddedPlatform platform =
                EmbeddedPlatform.builder().dataDir(dataDir).build().start()) {
            Map<String, Object> serde = platform.connection().serdeConfig();
            Properties props = new Properties();
            props.putAll(platform.connection().kafkaProperties());
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-it");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            IngestConfig config = new IngestConfig(Map.of(IngestConfig.ADAPTERS, "sentiment"));
            try (KafkaStreams streams =
                            new KafkaStreams(IngestTopology.build(config, serde), props);
                    AvroSerde<io.forwardloop.schemas.avro.InferenceRecord> values =
                            Topics.RAW_INFERENCE_RECORDS.valueSerde(serde);
                    KafkaProducer<String, byte[]> producer = producer(platform)) {
                streams.start();
                String topic = Topics.RAW_INFERENCE_RECORDS.name();
                for (String id : List.of("a", "a", "b")) {
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    id,
                                    values.serializer()
                                            .serialize(
                                                    topic, IngestRecords.inference(id).build())));
                }
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                "c",
                                values.serializer()
                                        .serialize(
                                                topic,
                                                IngestRecords.inference("c")
                                                        .setAdapterName("other")
                                                        .build())));
                producer.flush();

                List<byte[]> valid = new ArrayList<>();
                List<byte[]> dead = new ArrayList<>();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .until(
                                () ->
                                        read(platform, Topics.INFERENCE_RECORDS.name(), valid)
                                                                .size()
                                                        == 2
                                                && read(platform, Topics.DEAD_LETTERS.name(), dead)
                                                                .size()
                                                        == 1);
                try (AvroSerde<DeadLetter> letters = Topics.DEAD_LETTERS.valueSerde(serde)) {
                    DeadLetter letter =
                            letters.deserializer()
                                    .deserialize(Topics.DEAD_LETTERS.name(), dead.get(0));
                    assertThat(letter.getReason()).contains("adapter 'other'");
                    assertThat(letter.getSourceTopic()).isEqualTo(topic);
                }
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedPlatform platform) {
        return new KafkaProducer<>(
                platform.connection().kafkaProperties(),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static List<byte[]> read(EmbeddedPlatform platform, String topic, List<byte[]> into) {
        into.clear();
        Map<String, Object> props = new HashMap<>(platform.connection().kafkaProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            consumer.poll(Duration.ofMillis(500)).forEach(r -> into.add(r.value()));
        }
        return into;
    }
}
