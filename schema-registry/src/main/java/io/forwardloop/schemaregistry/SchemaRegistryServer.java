package io.forwardloop.schemaregistry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.schemaregistry.internal.RestApi;
import io.forwardloop.schemaregistry.internal.SchemaStore;
import io.forwardloop.schemas.compat.CompatibilityLevel;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process schema registry that serves the Confluent REST subset over HTTP.
 *
 * <p>Clients written for Confluent Schema Registry (the Kafka serdes of the {@code schemas} module,
 * Confluent's own clients) talk to it unchanged. Schemas are Avro only. With a data directory,
 * every registration and configuration change is appended to a journal and forced to disk before
 * the answer is sent, and a server started again on the same directory serves the same ids and
 * versions; without one, the state lives only as long as the server.
 *
 * <pre>{@code
 * try (SchemaRegistryServer registry =
 *         SchemaRegistryServer.builder().port(0).dataDir(dir).build().start()) {
 *     String url = registry.url(); // http://127.0.0.1:PORT
 * }
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

    private final Builder settings;
    private SchemaStore store;
    private Javalin http;

    private SchemaRegistryServer(Builder settings) {
        this.settings = settings;
    }

    /** Returns a builder with port 0 (any free port), no data directory and BACKWARD. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Replays the journal, if any, and starts serving.
     *
     * @return this server
     * @throws SchemaRegistryServerException when the journal cannot be opened or the port is busy
     * @throws IllegalStateException when already started
     */
    public synchronized SchemaRegistryServer start() {
        if (http != null) {
            throw new IllegalStateException("schema registry already started at " + url());
        }
        ObjectMapper mapper = new ObjectMapper();
        store = openStore(mapper);
        RestApi api = new RestApi(store, mapper, settings.basicAuth);
        try {
            http = Javalin.create(config -> configure(config, api)).start();
        } catch (RuntimeException e) {
            closeStore();
            throw new SchemaRegistryServerException(
                    "cannot start the schema registry on "
                            + settings.host
                            + ":"
                            + settings.port
                            + ": "
                            + e.getMessage()
                            + "; choose a free port or 0 for any",
                    e);
        }
        LOG.info(
                "Schema registry serving at {} (data directory {}, default compatibility {})",
                url(),
                settings.dataDir == null ? "none: state is not kept" : settings.dataDir,
                store.globalLevel());
        return this;
    }

    private SchemaStore openStore(ObjectMapper mapper) {
        return settings.dataDir == null
                ? SchemaStore.inMemory(mapper, settings.defaultCompatibility)
                : SchemaStore.persistent(mapper, settings.dataDir, settings.defaultCompatibility);
    }

    private void configure(io.javalin.config.JavalinConfig config, RestApi api) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.host = settings.host;
        config.jetty.port = settings.port;
        api.install(config);
    }

    /** The base URL clients use, {@code http://HOST:PORT}. */
    public String url() {
        String host = "0.0.0.0".equals(settings.host) ? "127.0.0.1" : settings.host;
        return "http://" + host + ":" + port();
    }

    /** The port the server listens on, once started. */
    public synchronized int port() {
        if (http == null) {
            throw new IllegalStateException("schema registry not started; call start() first");
        }
        return http.port();
    }

    /** Stops serving and releases the data directory; does nothing when not running. */
    @Override
    public synchronized void close() {
        if (http == null) {
            return;
        }
        String url = url();
        http.stop();
        http = null;
        closeStore();
        LOG.info("Schema registry at {} stopped", url);
    }

    private void closeStore() {
        try {
            store.close();
        } catch (IOException e) {
            LOG.warn("Closing the schema registry journal in {} failed", settings.dataDir, e);
        }
    }

    /** Settings of a {@link SchemaRegistryServer}; {@link #build()} validates them. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Path dataDir;
        private CompatibilityLevel defaultCompatibility = CompatibilityLevel.BACKWARD;
        private String basicAuth;

        private Builder() {}

        /** The interface to bind; {@code 127.0.0.1} by default, {@code 0.0.0.0} for all. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The TCP port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The directory holding the journal; null (the default) keeps state in memory only. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** The global compatibility level until a client sets another; BACKWARD by default. */
        public Builder defaultCompatibility(CompatibilityLevel level) {
            this.defaultCompatibility = level;
            return this;
        }

        /** {@code user:password} every request must carry as HTTP basic auth; null for none. */
        public Builder basicAuth(String userInfo) {
            this.basicAuth = userInfo;
            return this;
        }

        /**
         * Validates the settings and returns a server that is not started yet.
         *
         * @throws IllegalArgumentException naming the setting that is wrong
         */
        public SchemaRegistryServer build() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(
                        "schema registry port " + port + " is out of range; use 0 to 65535");
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("schema registry host must not be empty");
            }
            Objects.requireNonNull(defaultCompatibility, "defaultCompatibility must not be null");
            if (basicAuth != null && basicAuth.indexOf(':') < 1) {
                throw new IllegalArgumentException(
                        "schema registry basicAuth must be 'user:password', got a value without"
                                + " a user before ':'");
            }
            return new SchemaRegistryServer(this);
        }
    }
}
