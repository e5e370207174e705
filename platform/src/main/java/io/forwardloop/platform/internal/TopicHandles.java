package io.forwardloop.platform.internal;

import io.forwardloop.platform.TopicSpec;
import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import java.util.List;

/** Turns the typed topic handles of the {@code schemas} module into topic specs. */
public final class TopicHandles {
    private TopicHandles() {}

    /**
     * Returns a spec for every topic of the loop; {@code partitions} 0 keeps each topic's default
     * partition count.
     */
    public static List<TopicSpec> specs(int partitions, short replicationFactor) {
        return Topics.all().stream().map(t -> spec(t, partitions, replicationFactor)).toList();
    }

    private static TopicSpec spec(Topic<?, ?> topic, int partitions, short replicationFactor) {
        int count = partitions > 0 ? partitions : topic.defaultPartitions();
        return new TopicSpec(topic.name(), count, replicationFactor, topic.topicConfigs());
    }
}
