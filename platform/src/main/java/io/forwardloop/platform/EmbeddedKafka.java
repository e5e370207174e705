package io.forwardloop.platform;

import io.forwardloop.platform.internal.BrokerProperties;
import io.forwardloop.platform.internal.FreePorts;
import io.forwardloop.platform.internal.KafkaStorage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker and KRaft controller running in this JVM, for local runs and tests.
 *
 * <p>The node keeps its log under {@code <dataDir>/kafka}. The first start formats that directory
 * with a new cluster id; later starts on the same directory keep the cluster id, the topics and the
 * records. Listeners bind to 127.0.0.1 on the configured ports, or on free ones when a port is 0;
 * the controller quorum is static, so a restart may use different ports.
 *
 * <p>Not thread-safe: start and close it from one thread.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final long READY_TIMEOUT_MS = 60_000;

    private final Path logDir;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;
    private int port;
    private String clusterId;

    private EmbeddedKafka(Builder builder) {
        this.logDir = builder.dataDir.resolve("kafka").toAbsolutePath();
        this.requestedPort = builder.port;
        this.requestedControllerPort = builder.controllerPort;
        this.overrides = Map.copyOf(builder.overrides);
    }

    /** Returns a builder; {@link Builder#dataDir(Path)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the log directory if it is new, starts the node and waits until it answers.
     *
     * @return this broker, started
     * @throws PlatformException when the directory cannot be formatted or the node does not start
     */
    public EmbeddedKafka start() {
        if (server != null) {
            throw new IllegalStateException("broker on " + bootstrapServers() + " already started");
        }
        port = FreePorts.resolve(requestedPort);
        int controllerPort = FreePorts.resolve(requestedControllerPort);
        Map<String, String> props = BrokerProperties.of(logDir, port, controllerPort, overrides);
        clusterId = KafkaStorage.formatIfNeeded(logDir, props);
        launch(new KafkaConfig(props, false));
        awaitReady();
        LOG.info("Kafka {} listening on {} (log dir {})", clusterId, bootstrapServers(), logDir);
        return this;
    }

    private void launch(KafkaConfig config) {
        KafkaRaftServer raftServer = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            raftServer.startup();
        } catch (RuntimeException e) {
            stopQuietly(raftServer);
            throw new PlatformException(
                    "Kafka did not start on port "
                            + port
                            + " with log dir "
                            + logDir
                            + ": "
                            + e.getMessage(),
                    e);
        }
        server = raftServer;
    }

    private void awaitReady() {
        Map<String, Object> config =
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        AdminClientConfig.CLIENT_ID_CONFIG,
                        "forwardloop-embedded-readiness");
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new PlatformException(
                    "Kafka on "
                            + bootstrapServers()
                            + " did not answer within "
                            + READY_TIMEOUT_MS
                            + " ms",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new PlatformException("interrupted while waiting for Kafka to start", e);
        }
    }

    /** Returns {@code host:port} for clients; valid once started. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Returns the port clients connect to; valid once started. */
    public int port() {
        return port;
    }

    /** Returns the cluster id stored in the log directory; valid once started. */
    public String clusterId() {
        return clusterId;
    }

    /** Returns the directory that holds the log and the cluster metadata. */
    public Path logDir() {
        return logDir;
    }

    /** Returns whether the node runs. */
    public boolean isRunning() {
        return server != null;
    }

    /** Stops the node and waits for its threads to end; does nothing when it is not running. */
    @Override
    public void close() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;
        stopQuietly(stopping);
        LOG.info("Kafka {} on 127.0.0.1:{} stopped", clusterId, port);
    }

    private static void stopQuietly(KafkaRaftServer raftServer) {
        try {
            raftServer.shutdown();
            raftServer.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka did not shut down cleanly: {}", e.getMessage(), e);
        }
    }

    /** Configures an {@link EmbeddedKafka}. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private int controllerPort;
        private final Map<String, String> overrides = new HashMap<>();

        private Builder() {}

        /** The directory the node keeps its data under, in {@code kafka/}; required. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** The port clients connect to; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = checkPort("port", port);
            return this;
        }

        /** The port of the controller quorum; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort("controllerPort", controllerPort);
            return this;
        }

        /** A Kafka server property that replaces the embedded default, such as a retention. */
        public Builder serverProperty(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
            return this;
        }

        /** Returns the configured broker, not yet started. */
        public EmbeddedKafka build() {
            if (dataDir == null) {
                throw new IllegalStateException(
                        "EmbeddedKafka needs a data directory; call dataDir(path)");
            }
            return new EmbeddedKafka(this);
        }

        private static int checkPort(String name, int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException(
                        name + " must be between 0 and 65535, was " + value);
            }
            return value;
        }
    }
}
