package io.forwardloop.platform;

import io.forwardloop.schemaregistry.SchemaRegistryServer;
import io.forwardloop.schemas.compat.CompatibilityLevel;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka, a schema registry and ForwardLoop's topics in this JVM: everything the services need from
 * the outside world, in one call.
 *
 * <p>{@link #start()} starts the broker (data in {@code <dataDir>/kafka}), then the registry (data
 * in {@code <dataDir>/schema-registry}), then creates every declared topic. {@link #close()} stops
 * the registry, then the broker. A platform started again on the same data directory serves the
 * same records, topics and schema ids. Services reach it through {@link #connection()}, exactly as
 * they would reach an external cluster.
 */
public final class EmbeddedPlatform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPlatform.class);

    private final Path dataDir;
    private final EmbeddedKafka kafka;
    private final SchemaRegistryServer registry;
    private final TopicSetup topicSetup;
    private TopicSetup.Result topics;
    private boolean running;

    private EmbeddedPlatform(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath();
        this.kafka = EmbeddedKafka.builder().dataDir(dataDir).port(builder.kafkaPort).build();
        this.registry =
                SchemaRegistryServer.builder()
                        .port(builder.schemaRegistryPort)
                        .dataDir(dataDir.resolve("schema-registry"))
                        .defaultCompatibility(builder.compatibility)
                        .build();
        this.topicSetup = builder.topicSetup;
    }

    /** Returns a builder; {@link Builder#dataDir(Path)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the broker and the registry and creates the topics.
     *
     * @return this platform, running
     * @throws PlatformException when a part does not start; the parts already started are stopped
     */
    public EmbeddedPlatform start() {
        if (running) {
            throw new IllegalStateException("platform in " + dataDir + " already started");
        }
        try {
            kafka.start();
            registry.start();
            topics = createTopics();
        } catch (RuntimeException e) {
            close();
            throw e instanceof PlatformException ? e : new PlatformException(failure(e), e);
        }
        running = true;
        LOG.info(
                "Platform running: Kafka {}, schema registry {}, data {}",
                bootstrapServers(),
                schemaRegistryUrl(),
                dataDir);
        return this;
    }

    private TopicSetup.Result createTopics() {
        try (Admin admin = Admin.create(connection().kafkaProperties())) {
            return topicSetup.apply(admin);
        }
    }

    private String failure(RuntimeException e) {
        return "the embedded platform in " + dataDir + " did not start: " + e.getMessage();
    }

    /** Returns {@code host:port} of the broker. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Returns the base URL of the schema registry. */
    public String schemaRegistryUrl() {
        return registry.url();
    }

    /** Returns the directory that holds the broker's and the registry's data. */
    public Path dataDir() {
        return dataDir;
    }

    /** Returns the connection services use to reach this platform. */
    public ClusterConnection connection() {
        return ClusterConnection.plaintext(bootstrapServers(), schemaRegistryUrl());
    }

    /** Returns which topics the start created and which were there already. */
    public TopicSetup.Result topics() {
        return topics;
    }

    /** Returns the Kafka cluster id, kept across restarts on the same data directory. */
    public String clusterId() {
        return kafka.clusterId();
    }

    /** Stops the registry, then the broker; does nothing when nothing runs. */
    @Override
    public void close() {
        boolean wasRunning = running;
        running = false;
        registry.close();
        kafka.close();
        if (wasRunning) {
            LOG.info("Platform in {} stopped", dataDir);
        }
    }

    /** Configures an {@link EmbeddedPlatform}. */
    public static final class Builder {
        private Path dataDir;
        private int kafkaPort;
        private int schemaRegistryPort;
        private CompatibilityLevel compatibility = CompatibilityLevel.BACKWARD;
        private TopicSetup topicSetup = TopicSetup.builder().build();

        private Builder() {}

        /** The directory for all platform data; required. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** The port Kafka clients connect to; 0 (the default) picks a free one. */
        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        /** The port of the schema registry; 0 (the default) picks a free one. */
        public Builder schemaRegistryPort(int port) {
            this.schemaRegistryPort = port;
            return this;
        }

        /** The registry's compatibility level for subjects without their own; BACKWARD. */
        public Builder defaultCompatibility(CompatibilityLevel level) {
            this.compatibility = Objects.requireNonNull(level, "level");
            return this;
        }

        /** How topics are created; each topic's own partitions and replication 1 by default. */
        public Builder topicSetup(TopicSetup topicSetup) {
            this.topicSetup = Objects.requireNonNull(topicSetup, "topicSetup");
            return this;
        }

        /**
         * Returns the configured platform, not yet started.
         *
         * @throws IllegalStateException when no data directory was given
         * @throws IllegalArgumentException naming a port that is out of range
         */
        public EmbeddedPlatform build() {
            if (dataDir == null) {
                throw new IllegalStateException(
                        "EmbeddedPlatform needs a data directory; call dataDir(path)");
            }
            return new EmbeddedPlatform(this);
        }
    }
}
