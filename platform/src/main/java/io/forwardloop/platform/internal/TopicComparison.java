package io.forwardloop.platform.internal;

import io.forwardloop.platform.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/** Compares topics on the cluster with their declarations and describes every difference. */
public final class TopicComparison {
    private final Admin admin;
    private final AdminCalls calls;

    public TopicComparison(Admin admin, AdminCalls calls) {
        this.admin = admin;
        this.calls = calls;
    }

    /** Returns one line per difference between the cluster and {@code specs}; empty when none. */
    public List<String> mismatches(List<TopicSpec> specs) {
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> descriptions =
                calls.await(admin.describeTopics(names).allTopicNames(), "describe topics");
        Map<ConfigResource, Config> configs =
                calls.await(admin.describeConfigs(resources(names)).all(), "describe configs");
        List<String> mismatches = new ArrayList<>();
        for (TopicSpec spec : specs) {
            mismatches.addAll(layout(spec, descriptions.get(spec.name())));
            mismatches.addAll(settings(spec, configs.get(resource(spec.name()))));
        }
        return mismatches;
    }

    private static List<String> layout(TopicSpec spec, TopicDescription description) {
        List<String> found = new ArrayList<>();
        int partitions = description.partitions().size();
        if (partitions != spec.partitions()) {
            found.add(differs(spec.name(), "partitions", partitions, spec.partitions()));
        }
        int replicas = description.partitions().get(0).replicas().size();
        if (replicas != spec.replicationFactor()) {
            found.add(
                    differs(spec.name(), "replication factor", replicas, spec.replicationFactor()));
        }
        return found;
    }

    private static List<String> settings(TopicSpec spec, Config config) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> wanted : spec.configs().entrySet()) {
            ConfigEntry entry = config.get(wanted.getKey());
            String actual = entry == null ? null : entry.value();
            if (!wanted.getValue().equals(actual)) {
                found.add(differs(spec.name(), wanted.getKey(), actual, wanted.getValue()));
            }
        }
        return found;
    }

    private static String differs(String topic, String what, Object actual, Object expected) {
        return topic + ": " + what + " is " + actual + ", declared " + expected;
    }

    private static List<ConfigResource> resources(List<String> names) {
        return names.stream().map(TopicComparison::resource).toList();
    }

    private static ConfigResource resource(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }
}
