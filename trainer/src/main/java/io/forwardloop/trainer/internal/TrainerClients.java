package io.forwardloop.trainer.internal;

import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.serde.AvroSerde;
import io.forwardloop.trainer.TrainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka clients of the trainer, configured for exactly-once processing. */
public final class TrainerClients {
    private final TrainerConfig config;
    private final AvroSerde<AdapterStep> stepSerde;

    public TrainerClients(TrainerConfig config) {
        this.config = config;
        this.stepSerde = Topics.ADAPTER_STEPS.valueSerde(serdeConfig(config));
    }

    private static Map<String, Object> serdeConfig(TrainerConfig config) {
        return config.connection().serdeConfig();
    }

    public AvroSerde<AdapterStep> stepSerde() {
        return stepSerde;
    }

    /** The transactional producer of the step log: one writer per adapter. */
    public KafkaProducer<String, AdapterStep> producer() {
        Map<String, Object> props = config.connection().kafkaProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), stepSerde.serializer());
    }

    /**
     * A read_committed consumer of {@code topic}; in the trainer's group when {@code grouped},
     * otherwise without a group (offsets never committed).
     */
    public <V extends SpecificRecord> KafkaConsumer<String, V> consumer(
            Topic<String, V> topic, boolean grouped) {
        Map<String, Object> props = consumerProps(config);
        if (grouped) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, config.transactionalId());
            props.put(
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    config.getInt(TrainerConfig.MAX_POLL_RECORDS));
        }
        AvroSerde<V> serde = topic.valueSerde(serdeConfig(config));
        return new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer());
    }

    /** A group-less read_committed reader of the step log. */
    public static KafkaConsumer<String, AdapterStep> stepReader(TrainerConfig config) {
        AvroSerde<AdapterStep> serde = Topics.ADAPTER_STEPS.valueSerde(serdeConfig(config));
        return new KafkaConsumer<>(
                consumerProps(config), new StringDeserializer(), serde.deserializer());
    }

    private static Map<String, Object> consumerProps(TrainerConfig config) {
        Map<String, Object> props = config.connection().kafkaProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    /** Assigns every holdout partition, positioned to read at most the newest {@code size}. */
    public static void tailHoldout(KafkaConsumer<?, ?> consumer, int size) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(Topics.HOLDOUT.name())) {
            partitions.add(new TopicPartition(Topics.HOLDOUT.name(), info.partition()));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - size));
        }
    }
}
