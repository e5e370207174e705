package io.forwardloop.registry;

import io.forwardloop.registry.internal.Database;
import io.forwardloop.registry.internal.HttpApi;
import io.forwardloop.registry.internal.OutboxRelay;
import io.forwardloop.registry.internal.RegistryStore;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterEvent;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry service: the HTTP API and dashboard over the database, and the outbox relay
 * that announces alias moves on {@code adapter-events}.
 *
 * <p>{@link #start()} migrates the database, starts the relay (when Kafka is configured) and then
 * the HTTP server; {@link #close()} stops them in reverse order. Events not yet published when the
 * server stops stay in the outbox and are sent by the next start on the same database.
 */
public final class ModelRegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistryServer.class);

    private final RegistryConfig config;
    private final Map<String, Object> kafkaProperties;
    private final Clock clock;
    private Database database;
    private OutboxRelay relay;
    private Javalin http;

    private ModelRegistryServer(
            RegistryConfig config, Map<String, Object> kafkaProperties, Clock clock) {
        this.config = config;
        this.kafkaProperties = kafkaProperties;
        this.clock = clock;
    }

    /** Returns a builder with the defaults of {@link RegistryConfig}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the database, starts the outbox relay and serves HTTP.
     *
     * @return this server
     * @throws RegistryException when the database cannot be opened or the port is taken
     */
    public synchronized ModelRegistryServer start() {
        if (http != null) {
            throw new IllegalStateException("model registry already started at " + url());
        }
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        database =
                Database.open(
                        config.jdbcUrl(),
                        config.jdbcUser(),
                        config.jdbcPassword(),
                        config.jdbcPoolSize());
        RegistryStore store = new RegistryStore(database, clock);
        meters.gauge("registry.outbox.pending", store, s -> safePending(s));
        relay = kafkaProperties == null ? null : startRelay(store, meters);
        Runnable wake = relay == null ? () -> {} : relay::wake;
        HttpApi api = new HttpApi(store, database, meters, config, wake);
        startHttp(api);
        LOG.info(
                "Model registry serving at {} (database {}, events {}, writes {})",
                url(),
                config.getString(RegistryConfig.JDBC_URL).isBlank() ? config.dataDir() : "external",
                relay == null ? "off" : "to " + Topics.ADAPTER_EVENTS.name(),
                config.authToken() == null ? "UNAUTHENTICATED" : "need a bearer token");
        return this;
    }

    private static double safePending(RegistryStore store) {
        try {
            return store.pendingEvents();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private OutboxRelay startRelay(RegistryStore store, PrometheusMeterRegistry meters) {
        long timeout = config.outboxSendTimeoutMs();
        Map<String, Object> props = new HashMap<>();
        kafkaProperties.forEach(
                (k, v) -> {
                    if (ProducerConfig.configNames().contains(k)) {
                        props.put(k, v);
                    }
                });
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "model-registry-outbox");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(50, timeout / 2));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        KafkaProducer<String, AdapterEvent> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        Topics.ADAPTER_EVENTS.valueSerde(kafkaProperties).serializer());
        OutboxRelay outbox =
                new OutboxRelay(
                        store,
                        producer,
                        config.outboxPollIntervalMs(),
                        config.outboxBackoffMaxMs(),
                        timeout,
                        meters);
        outbox.start();
        return outbox;
    }

    private void startHttp(HttpApi api) {
        try {
            http =
                    Javalin.create(
                                    c -> {
                                        c.startup.showJavalinBanner = false;
                                        c.startup.showOldJavalinVersionWarning = false;
                                        c.jetty.host = config.httpHost();
                                        c.jetty.port = config.httpPort();
                                        api.install(c);
                                    })
                            .start();
        } catch (RuntimeException e) {
            stopBackground();
            throw new RegistryException(
                    RegistryException.Reason.UNAVAILABLE,
                    "cannot serve the model registry on "
                            + config.httpHost()
                            + ":"
                            + config.httpPort()
                            + ": "
                            + e.getMessage()
                            + "; choose a free "
                            + RegistryConfig.HTTP_PORT
                            + " or 0 for any",
                    e);
        }
    }

    /** Returns the port the API listens on, once started. */
    public synchronized int port() {
        if (http == null) {
            throw new IllegalStateException("model registry not started; call start() first");
        }
        return http.port();
    }

    /** Returns the base URL clients use, {@code http://HOST:PORT}. */
    public String url() {
        String host = config.httpHost();
        return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port();
    }

    /** Returns the settings this server runs with. */
    public RegistryConfig config() {
        return config;
    }

    /** Stops serving, stops the relay and closes the database; does nothing when not running. */
    @Override
    public synchronized void close() {
        if (http == null) {
            return;
        }
        String url = url();
        http.stop();
        http = null;
        stopBackground();
        LOG.info("Model registry at {} stopped", url);
    }

    private void stopBackground() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
    }

    /** Configures a {@link ModelRegistryServer}; {@link #build()} validates everything at once. */
    public static final class Builder {
        private final Map<String, Object> values = new HashMap<>();
        private Map<String, Object> kafkaProperties;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Sets any keys of {@link RegistryConfig}; later calls override earlier ones. */
        public Builder config(Map<String, ?> config) {
            values.putAll(config);
            return this;
        }

        /** The HTTP port; 0 picks a free one. */
        public Builder port(int port) {
            values.put(RegistryConfig.HTTP_PORT, port);
            return this;
        }

        /** The directory of the embedded H2 database, used when no JDBC URL is given. */
        public Builder dataDir(Path dataDir) {
            values.put(RegistryConfig.DATA_DIR, dataDir.toString());
            return this;
        }

        /** An external database, such as PostgreSQL. */
        public Builder jdbc(String url, String user, String password) {
            values.put(RegistryConfig.JDBC_URL, Objects.requireNonNull(url, "url"));
            values.put(RegistryConfig.JDBC_USER, user == null ? "" : user);
            values.put(RegistryConfig.JDBC_PASSWORD, password == null ? "" : password);
            return this;
        }

        /** The bearer token writes need; null with {@link #authDisabled(boolean)} for none. */
        public Builder authToken(String token) {
            values.put(RegistryConfig.AUTH_TOKEN, token);
            return this;
        }

        /** Accepts writes without a token; for local use only. */
        public Builder authDisabled(boolean disabled) {
            values.put(RegistryConfig.AUTH_DISABLED, disabled);
            return this;
        }

        /**
         * The Kafka producer properties and schema registry serde settings for {@code
         * adapter-events} (such as {@code ClusterConnection.clientProperties()}), or null to
         * publish no events.
         */
        public Builder kafka(Map<String, ?> producerAndSerdeProperties) {
            this.kafkaProperties =
                    producerAndSerdeProperties == null
                            ? null
                            : new HashMap<>(producerAndSerdeProperties);
            return this;
        }

        /** The clock that stamps publications and alias moves; the system clock by default. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Returns the configured server, not yet started.
         *
         * @throws org.apache.kafka.common.config.ConfigException naming the key that is invalid
         */
        public ModelRegistryServer build() {
            return new ModelRegistryServer(new RegistryConfig(values), kafkaProperties, clock);
        }
    }
}
