package io.forwardloop.registry.bench;

import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Observes alias moves as a consumer following {@code adapter-events} sees them. */
public final class AdapterEventsObserver implements ServingObserver {
    private final KafkaConsumer<String, AdapterEvent> consumer;

    /**
     * @param kafkaAndSerdeProperties Kafka client properties plus the schema registry serde keys
     */
    public AdapterEventsObserver(Map<String, Object> kafkaAndSerdeProperties) {
        Map<String, Object> props = new HashMap<>(kafkaAndSerdeProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Object> consumerProps = new HashMap<>();
        props.forEach(
                (k, v) -> {
                    if (ConsumerConfig.configNames().contains(k)) {
                        consumerProps.put(k, v);
                    }
                });
        this.consumer =
                new KafkaConsumer<>(
                        consumerProps,
                        new StringDeserializer(),
                        Topics.ADAPTER_EVENTS.valueSerde(kafkaAndSerdeProperties).deserializer());
    }

    @Override
    public void prepare(String adapter, String alias) {
        List<TopicPartition> partitions =
                consumer.partitionsFor(Topics.ADAPTER_EVENTS.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    @Override
    public void awaitVersion(String adapter, String alias, long version, Duration timeout) {
        String key = Topics.adapterAliasKey(adapter, alias);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, AdapterEvent> r : consumer.poll(Duration.ofMillis(2))) {
                if (key.equals(r.key()) && r.value().getVersion() == version) {
                    return;
                }
            }
        }
        throw new IllegalStateException(
                "no event for " + key + " version " + version + " within " + timeout);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
