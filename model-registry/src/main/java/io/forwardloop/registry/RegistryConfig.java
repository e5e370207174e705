package io.forwardloop.registry;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The model registry's settings, each key declared once with its type, default, validation and
 * documentation.
 *
 * <p>Construction validates every key and the rules between them; a bad value fails with a {@link
 * ConfigException} naming the key.
 */
public final class RegistryConfig extends AbstractConfig {
    public static final String HTTP_HOST = "registry.http.host";
    public static final String HTTP_PORT = "registry.http.port";
    public static final String DATA_DIR = "registry.data.dir";
    public static final String JDBC_URL = "registry.jdbc.url";
    public static final String JDBC_USER = "registry.jdbc.user";
    public static final String JDBC_PASSWORD = "registry.jdbc.password";
    public static final String JDBC_POOL_SIZE = "registry.jdbc.pool.size";
    public static final String ARTIFACT_MAX_BYTES = "registry.artifact.max.bytes";
    public static final String AUTH_TOKEN = "registry.auth.token";
    public static final String AUTH_DISABLED = "registry.auth.disabled";
    public static final String READ_AUTH_REQUIRED = "registry.read.auth.required";
    public static final String OUTBOX_POLL_INTERVAL_MS = "registry.outbox.poll.interval.ms";
    public static final String OUTBOX_BACKOFF_MAX_MS = "registry.outbox.retry.backoff.max.ms";
    public static final String OUTBOX_SEND_TIMEOUT_MS = "registry.outbox.send.timeout.ms";

    private static final ConfigDef DEF = define();

    public RegistryConfig(Map<?, ?> values) {
        super(DEF, values, false);
        validate();
    }

    /** Returns the declaration of every key. */
    public static ConfigDef configDef() {
        return new ConfigDef(DEF);
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public Path dataDir() {
        return Path.of(getString(DATA_DIR)).toAbsolutePath();
    }

    /** The JDBC URL: the configured one, or an H2 file database in the data directory. */
    public String jdbcUrl() {
        String url = getString(JDBC_URL);
        if (!url.isBlank()) {
            return url;
        }
        return "jdbc:h2:file:"
                + dataDir().resolve("registry")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    public String jdbcUser() {
        return getString(JDBC_USER);
    }

    public String jdbcPassword() {
        Password password = getPassword(JDBC_PASSWORD);
        return password == null ? "" : password.value();
    }

    public int jdbcPoolSize() {
        return getInt(JDBC_POOL_SIZE);
    }

    public long artifactMaxBytes() {
        return getLong(ARTIFACT_MAX_BYTES);
    }

    /** The bearer token writes need, or null when authentication is disabled. */
    public String authToken() {
        Password token = getPassword(AUTH_TOKEN);
        return authDisabled() || token == null ? null : token.value();
    }

    public boolean authDisabled() {
        return getBoolean(AUTH_DISABLED);
    }

    public boolean readAuthRequired() {
        return getBoolean(READ_AUTH_REQUIRED);
    }

    public long outboxPollIntervalMs() {
        return getLong(OUTBOX_POLL_INTERVAL_MS);
    }

    public long outboxBackoffMaxMs() {
        return getLong(OUTBOX_BACKOFF_MAX_MS);
    }

    public long outboxSendTimeoutMs() {
        return getLong(OUTBOX_SEND_TIMEOUT_MS);
    }

    private void validate() {
        Password token = getPassword(AUTH_TOKEN);
        boolean noToken = token == null || token.value().isBlank();
        if (noToken && !authDisabled()) {
            throw new ConfigException(
                    AUTH_TOKEN,
                    "(none)",
                    "writes need a bearer token; set a secret here, or set "
                            + AUTH_DISABLED
                            + "=true for local use without authentication");
        }
        if (authDisabled() && readAuthRequired()) {
            throw new ConfigException(
                    READ_AUTH_REQUIRED,
                    true,
                    "reads cannot require a token while " + AUTH_DISABLED + "=true");
        }
    }

    private static ConfigDef define() {
        return new ConfigDef()
                .define(
                        HTTP_HOST,
                        Type.STRING,
                        "0.0.0.0",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "The address the HTTP API listens on.")
                .define(
                        HTTP_PORT,
                        Type.INT,
                        8081,
                        Range.between(0, 65535),
                        Importance.HIGH,
                        "The port of the HTTP API; 0 picks a free one.")
                .define(
                        DATA_DIR,
                        Type.STRING,
                        "data/model-registry",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "The directory of the embedded database, used when "
                                + JDBC_URL
                                + " is empty.")
                .define(
                        JDBC_URL,
                        Type.STRING,
                        "",
                        Importance.HIGH,
                        "The JDBC URL of the database, such as"
                                + " jdbc:postgresql://db:5432/registry; empty means an H2 file"
                                + " database in "
                                + DATA_DIR
                                + ".")
                .define(JDBC_USER, Type.STRING, "", Importance.MEDIUM, "The database user.")
                .define(
                        JDBC_PASSWORD,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "The database password.")
                .define(
                        JDBC_POOL_SIZE,
                        Type.INT,
                        8,
                        Range.between(1, 256),
                        Importance.LOW,
                        "The most database connections the registry holds.")
                .define(
                        ARTIFACT_MAX_BYTES,
                        Type.LONG,
                        16L * 1024 * 1024,
                        Range.between(1, 256L * 1024 * 1024),
                        Importance.MEDIUM,
                        "The largest artifact the registry accepts, in bytes.")
                .define(
                        AUTH_TOKEN,
                        Type.PASSWORD,
                        null,
                        Importance.HIGH,
                        "The secret that writes must send as 'Authorization: Bearer <token>';"
                                + " required unless "
                                + AUTH_DISABLED
                                + "=true.")
                .define(
                        AUTH_DISABLED,
                        Type.BOOLEAN,
                        false,
                        Importance.MEDIUM,
                        "Accept writes without a token; for local use only.")
                .define(
                        READ_AUTH_REQUIRED,
                        Type.BOOLEAN,
                        false,
                        Importance.MEDIUM,
                        "Whether reads (the API, the dashboard, metrics) need the token too;"
                                + " health and readiness stay open.")
                .define(
                        OUTBOX_POLL_INTERVAL_MS,
                        Type.LONG,
                        500L,
                        Range.between(1, 60_000),
                        Importance.LOW,
                        "How often the outbox relay looks for unsent events when no alias move"
                                + " woke it.")
                .define(
                        OUTBOX_BACKOFF_MAX_MS,
                        Type.LONG,
                        10_000L,
                        Range.between(1, 600_000),
                        Importance.LOW,
                        "The longest wait between attempts while Kafka cannot be reached; waits"
                                + " double from the poll interval up to this.")
                .define(
                        OUTBOX_SEND_TIMEOUT_MS,
                        Type.LONG,
                        10_000L,
                        Range.between(100, 600_000),
                        Importance.LOW,
                        "How long one attempt to publish an event may take before it counts"
                                + " as failed.");
    }
}
