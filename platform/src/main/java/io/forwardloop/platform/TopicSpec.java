package io.forwardloop.platform;

import java.util.Map;
import java.util.Objects;

/**
 * What a topic must look like on the cluster: its name, partition count, replication factor and
 * topic configs (such as {@code cleanup.policy=compact}).
 *
 * @param name the topic name
 * @param partitions the number of partitions, at least 1
 * @param replicationFactor the number of replicas of each partition, at least 1
 * @param configs topic configs under Kafka's names; the cluster defaults apply to the rest
 */
public record TopicSpec(
        String name, int partitions, short replicationFactor, Map<String, String> configs) {

    /** Checks the values and copies the configs. */
    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + ": partitions must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topic "
                            + name
                            + ": replication factor must be at least 1, was "
                            + replicationFactor);
        }
        configs = Map.copyOf(configs);
    }
}
