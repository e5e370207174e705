package io.forwardloop.platform;

import io.forwardloop.schemas.registry.SchemaRegistryClientConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;

/**
 * Where a Kafka cluster and its schema registry are, and how to authenticate to them.
 *
 * <p>Every ForwardLoop service reaches Kafka and the registry through one of these, whether the
 * cluster is the embedded platform or an external one: {@link #kafkaProperties()} gives the
 * properties for Kafka producers, consumers and admin clients, {@link #serdeConfig()} those for the
 * Avro serdes. The Kafka keys are declared here, the registry keys in {@link
 * SchemaRegistryClientConfig}; {@link #configDef()} holds both, with their types, defaults,
 * validation and documentation. A bad value fails with a {@link ConfigException} that names the
 * key. Passwords come out as plain strings, for clients that copy their properties.
 */
public final class ClusterConnection {
    /** The Kafka brokers to bootstrap from, as {@code host:port} pairs separated by commas. */
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    /** How clients talk to the brokers: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
    public static final String SECURITY_PROTOCOL = "kafka.security.protocol";

    /** The SASL mechanism, for the SASL protocols. */
    public static final String SASL_MECHANISM = "kafka.sasl.mechanism";

    /** The JAAS login module line, for the SASL protocols. */
    public static final String SASL_JAAS_CONFIG = "kafka.sasl.jaas.config";

    /** The trust store that verifies the brokers' certificates. */
    public static final String SSL_TRUSTSTORE_LOCATION = "kafka.ssl.truststore.location";

    /** The password of the trust store. */
    public static final String SSL_TRUSTSTORE_PASSWORD = "kafka.ssl.truststore.password";

    /** The key store that holds the client's certificate, for mutual TLS. */
    public static final String SSL_KEYSTORE_LOCATION = "kafka.ssl.keystore.location";

    /** The password of the key store. */
    public static final String SSL_KEYSTORE_PASSWORD = "kafka.ssl.keystore.password";

    /** The password of the private key in the key store. */
    public static final String SSL_KEY_PASSWORD = "kafka.ssl.key.password";

    /**
     * The schema registry URLs; this and the other registry keys are those of {@link
     * SchemaRegistryClientConfig}, passed on to the serdes unchanged.
     */
    public static final String SCHEMA_REGISTRY_URL = SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL;

    private static final List<String> PROTOCOLS =
            List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final ConfigDef KAFKA_DEF = define();

    private final Settings settings;

    private final Optional<SchemaRegistryClientConfig> registry;

    private ClusterConnection(Map<?, ?> values) {
        this.settings = new Settings(values);
        this.registry =
                settings.originals().containsKey(SCHEMA_REGISTRY_URL)
                        ? Optional.of(new SchemaRegistryClientConfig(registryOriginals()))
                        : Optional.empty();
        validate();
    }

    /**
     * Reads a connection from configuration values keyed as in {@link #configDef()}.
     *
     * <p>Without {@value #SCHEMA_REGISTRY_URL} the connection serves Kafka clients only, and {@link
     * #serdeConfig()} fails naming that key.
     *
     * @throws ConfigException naming the key when a value is missing, of the wrong type or invalid
     */
    public static ClusterConnection from(Map<?, ?> values) {
        return new ClusterConnection(Objects.requireNonNull(values, "values"));
    }

    /** A plaintext connection without credentials, as the embedded platform serves. */
    public static ClusterConnection plaintext(String bootstrapServers, String schemaRegistryUrl) {
        return from(
                Map.of(
                        BOOTSTRAP_SERVERS,
                        bootstrapServers,
                        SCHEMA_REGISTRY_URL,
                        schemaRegistryUrl));
    }

    /** Returns the declaration of every connection key, the registry keys included. */
    public static ConfigDef configDef() {
        ConfigDef all = new ConfigDef(SchemaRegistryClientConfig.configDef());
        KAFKA_DEF.configKeys().values().forEach(all::define);
        return all;
    }

    /** Returns the bootstrap servers, as configured. */
    public String bootstrapServers() {
        return String.join(",", settings.getList(BOOTSTRAP_SERVERS));
    }

    /** Returns the schema registry URLs, separated by commas as configured. */
    public String schemaRegistryUrl() {
        return registry().urls().stream()
                .map(URI::toString)
                .map(ClusterConnection::stripTrailingSlash)
                .collect(Collectors.joining(","));
    }

    /** Returns the security protocol. */
    public String securityProtocol() {
        return settings.getString(SECURITY_PROTOCOL);
    }

    /**
     * Returns the properties every Kafka client of this cluster needs: the bootstrap servers and,
     * where configured, the security settings, under Kafka's own names.
     */
    public Map<String, Object> kafkaProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol());
        if (securityProtocol().startsWith("SASL")) {
            props.put(SaslConfigs.SASL_MECHANISM, settings.getString(SASL_MECHANISM));
            props.put(SaslConfigs.SASL_JAAS_CONFIG, settings.getPassword(SASL_JAAS_CONFIG).value());
        }
        putIfSet(props, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, SSL_TRUSTSTORE_LOCATION);
        putIfSet(props, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, SSL_TRUSTSTORE_PASSWORD);
        putIfSet(props, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, SSL_KEYSTORE_LOCATION);
        putIfSet(props, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, SSL_KEYSTORE_PASSWORD);
        putIfSet(props, SslConfigs.SSL_KEY_PASSWORD_CONFIG, SSL_KEY_PASSWORD);
        return props;
    }

    /**
     * Returns the properties the Avro serdes need to reach the schema registry: the registry keys
     * of {@link SchemaRegistryClientConfig} that were given, unchanged.
     */
    public Map<String, Object> serdeConfig() {
        registry();
        return new HashMap<>(registryOriginals());
    }

    /** Returns whether a schema registry is configured; Kafka-only tools need none. */
    public boolean hasSchemaRegistry() {
        return registry.isPresent();
    }

    private SchemaRegistryClientConfig registry() {
        return registry.orElseThrow(
                () ->
                        new ConfigException(
                                SCHEMA_REGISTRY_URL,
                                null,
                                "required to reach the schema registry; give its URL"));
    }

    private Map<String, Object> registryOriginals() {
        Map<String, Object> originals = new HashMap<>();
        for (String key : SchemaRegistryClientConfig.configDef().names()) {
            Object value = settings.originals().get(key);
            if (value != null) {
                originals.put(key, value);
            }
        }
        return originals;
    }

    /**
     * Returns {@link #kafkaProperties()} and, when a registry is configured, {@link #serdeConfig()}
     * in one map.
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = kafkaProperties();
        if (hasSchemaRegistry()) {
            props.putAll(serdeConfig());
        }
        return props;
    }

    @Override
    public String toString() {
        return "ClusterConnection{kafka="
                + bootstrapServers()
                + " ("
                + securityProtocol()
                + "), schemaRegistry="
                + (hasSchemaRegistry() ? schemaRegistryUrl() : "none")
                + "}";
    }

    private void putIfSet(Map<String, Object> props, String kafkaKey, String key) {
        Object value = settings.values().get(key);
        if (value instanceof Password password) {
            props.put(kafkaKey, password.value());
        } else if (value != null) {
            props.put(kafkaKey, value);
        }
    }

    private void validate() {
        boolean sasl = securityProtocol().startsWith("SASL");
        if (sasl && settings.getPassword(SASL_JAAS_CONFIG) == null) {
            throw new ConfigException(
                    SASL_JAAS_CONFIG,
                    null,
                    "required when "
                            + SECURITY_PROTOCOL
                            + " is "
                            + securityProtocol()
                            + "; give the JAAS login module line of your SASL mechanism");
        }
        requireTogether(SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD);
    }

    private void requireTogether(String location, String password) {
        if (settings.getString(location) != null && settings.getPassword(password) == null) {
            throw new ConfigException(password, null, "required when " + location + " is set");
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static ConfigDef define() {
        return new ConfigDef()
                .define(
                        BOOTSTRAP_SERVERS,
                        Type.LIST,
                        ConfigDef.NO_DEFAULT_VALUE,
                        ConfigDef.LambdaValidator.with(
                                ClusterConnection::checkHosts, () -> "host:port[,host:port...]"),
                        Importance.HIGH,
                        "The Kafka brokers to bootstrap from, as host:port pairs separated by"
                                + " commas.")
                .define(
                        SECURITY_PROTOCOL,
                        Type.STRING,
                        "PLAINTEXT",
                        ConfigDef.ValidString.in(PROTOCOLS.toArray(String[]::new)),
                        Importance.MEDIUM,
                        "How clients talk to the brokers: " + String.join(", ", PROTOCOLS) + ".")
                .define(
                        SASL_MECHANISM,
                        Type.STRING,
                        "PLAIN",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "The SASL mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER)"
                                + " for the SASL protocols.")
                .define(
                        SASL_JAAS_CONFIG,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "The JAAS login module line for the SASL protocols; required with them.")
                .define(
                        SSL_TRUSTSTORE_LOCATION,
                        Type.STRING,
                        null,
                        Importance.MEDIUM,
                        "The trust store that verifies the brokers' certificates; the JVM's"
                                + " default trust when unset.")
                .define(
                        SSL_TRUSTSTORE_PASSWORD,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "The password of the trust store.")
                .define(
                        SSL_KEYSTORE_LOCATION,
                        Type.STRING,
                        null,
                        Importance.LOW,
                        "The key store with the client certificate, for mutual TLS.")
                .define(
                        SSL_KEYSTORE_PASSWORD,
                        Type.PASSWORD,
                        null,
                        Importance.LOW,
                        "The password of the key store; required with a key store.")
                .define(
                        SSL_KEY_PASSWORD,
                        Type.PASSWORD,
                        null,
                        Importance.LOW,
                        "The password of the private key in the key store.");
    }

    private static void checkHosts(String key, Object value) {
        List<?> hosts = (List<?>) value;
        if (hosts == null || hosts.isEmpty()) {
            throw new ConfigException(key, value, "give at least one host:port");
        }
        for (Object host : hosts) {
            if (!host.toString().matches("\\S+:\\d{1,5}")) {
                throw new ConfigException(key, value, "'" + host + "' is not host:port");
            }
        }
    }

    /** The parsed values; Kafka's config machinery does the typing and validation. */
    private static final class Settings extends AbstractConfig {
        Settings(Map<?, ?> values) {
            super(KAFKA_DEF, values, false);
        }
    }
}
