package io.forwardloop.platform;

import io.forwardloop.platform.internal.AdminCalls;
import io.forwardloop.platform.internal.TopicComparison;
import io.forwardloop.platform.internal.TopicHandles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates ForwardLoop's topics on a cluster through the Admin API.
 *
 * <p>Every topic declared in {@code io.forwardloop.schemas.Topics} is created with its cleanup
 * policy and topic configs. Running it again is harmless: a topic that exists already is compared
 * with its declaration and left as it is; when any differs (partition count, replication factor or
 * a declared config) a {@link TopicMismatchException} lists every difference.
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private final int partitions;
    private final short replicationFactor;
    private final AdminCalls calls;

    private TopicSetup(Builder builder) {
        this.partitions = builder.partitions;
        this.replicationFactor = builder.replicationFactor;
        this.calls = new AdminCalls(builder.timeout);
    }

    /** Returns a builder with each topic's own partition count and replication factor 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the topics this setup creates, with the partitions and replication asked for. */
    public List<TopicSpec> specs() {
        return TopicHandles.specs(partitions, replicationFactor);
    }

    /**
     * Creates every declared topic that does not exist and checks the ones that do.
     *
     * @throws TopicMismatchException when existing topics differ from their declaration
     * @throws PlatformException when the cluster does not answer or refuses a topic
     */
    public Result apply(Admin admin) {
        return apply(admin, specs());
    }

    /** Like {@link #apply(Admin)}, for the given topics. */
    public Result apply(Admin admin, List<TopicSpec> specs) {
        Set<String> existing = calls.await(admin.listTopics().names(), "list topics");
        List<TopicSpec> missing = specs.stream().filter(s -> !existing.contains(s.name())).toList();
        List<String> raced = create(admin, missing);
        List<TopicSpec> present =
                specs.stream()
                        .filter(s -> existing.contains(s.name()) || raced.contains(s.name()))
                        .toList();
        check(admin, present);
        List<String> created =
                missing.stream().map(TopicSpec::name).filter(n -> !raced.contains(n)).toList();
        List<String> kept = present.stream().map(TopicSpec::name).toList();
        LOG.info("Topics created: {}; already present and matching: {}", created, kept);
        return new Result(created, kept);
    }

    private List<String> create(Admin admin, List<TopicSpec> specs) {
        if (specs.isEmpty()) {
            return List.of();
        }
        CreateTopicsResult result = admin.createTopics(specs.stream().map(this::newTopic).toList());
        List<String> raced = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
            try {
                calls.await(entry.getValue(), "create topic " + entry.getKey());
            } catch (PlatformException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                raced.add(entry.getKey());
            }
        }
        return raced;
    }

    private NewTopic newTopic(TopicSpec spec) {
        return new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
                .configs(spec.configs());
    }

    private void check(Admin admin, List<TopicSpec> specs) {
        if (specs.isEmpty()) {
            return;
        }
        List<String> mismatches = new TopicComparison(admin, calls).mismatches(specs);
        if (!mismatches.isEmpty()) {
            throw new TopicMismatchException(mismatches);
        }
    }

    /**
     * What a run did.
     *
     * @param created the topics it created
     * @param existing the topics that were there already and match their declaration
     */
    public record Result(List<String> created, List<String> existing) {
        /** Copies the lists. */
        public Result {
            created = List.copyOf(created);
            existing = List.copyOf(existing);
        }

        @Override
        public String toString() {
            return "created " + created + ", already present " + existing;
        }
    }

    /** Configures a {@link TopicSetup}. */
    public static final class Builder {
        private int partitions;
        private short replicationFactor = 1;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder() {}

        /** Gives every topic this many partitions; 0 (the default) keeps each topic's own. */
        public Builder partitions(int partitions) {
            if (partitions < 0) {
                throw new IllegalArgumentException(
                        "partitions must be 0 (each topic's default) or more, was " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** Gives every partition this many replicas; 1 by default. */
        public Builder replicationFactor(int replicationFactor) {
            if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "replication factor must be at least 1, was " + replicationFactor);
            }
            this.replicationFactor = (short) replicationFactor;
            return this;
        }

        /** How long to wait for each Admin call; 30 s by default. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Returns the configured setup. */
        public TopicSetup build() {
            return new TopicSetup(this);
        }
    }
}
