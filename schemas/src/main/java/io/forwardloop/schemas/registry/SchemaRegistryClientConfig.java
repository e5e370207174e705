package io.forwardloop.schemas.registry;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of a {@link SchemaRegistryClient}: where the registry is, how to authenticate, TLS,
 * timeouts and cache bounds.
 *
 * <p>The key names are Confluent's, so a configuration written for Confluent's serializers works
 * unchanged. Unknown keys are ignored, so one map can configure a Kafka client and its serdes.
 *
 * <p>TLS: {@code https} URLs are verified against the JVM's default trust unless {@value
 * #SSL_TRUSTSTORE_LOCATION} names a trust store; {@value #SSL_KEYSTORE_LOCATION} adds a client
 * certificate for registries that require mutual TLS. The stores are read when the client is
 * created, and a missing file or a wrong password fails there, naming the key.
 */
public class SchemaRegistryClientConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String MAX_SCHEMAS_PER_SUBJECT = "max.schemas.per.subject";
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";

    /** The key store formats the TLS keys accept, as the JDK names them. */
    private static final String[] STORE_TYPES = {"JKS", "PKCS12"};

    /** Where basic-auth credentials come from. */
    public enum CredentialsSource {
        /** From {@value #BASIC_AUTH_USER_INFO}. */
        USER_INFO,
        /** From the user-info part of each URL ({@code http://user:pass@host:8081}), if any. */
        URL
    }

    private static final ConfigDef CONFIG = define(new ConfigDef());

    public SchemaRegistryClientConfig(Map<String, ?> originals) {
        this(CONFIG, originals);
    }

    protected SchemaRegistryClientConfig(ConfigDef definition, Map<String, ?> originals) {
        super(definition, originals, false);
        validateAuth();
        validateTls();
    }

    /** Adds this class's keys to {@code def} and returns it, for configs that extend this one. */
    protected static ConfigDef define(ConfigDef def) {
        return def.define(
                        SCHEMA_REGISTRY_URL,
                        Type.LIST,
                        ConfigDef.NO_DEFAULT_VALUE,
                        SchemaRegistryClientConfig::validateUrls,
                        Importance.HIGH,
                        "Comma-separated base URLs of a Confluent-compatible schema registry;"
                                + " tried in turn when one is unreachable.")
                .define(
                        BASIC_AUTH_CREDENTIALS_SOURCE,
                        Type.STRING,
                        CredentialsSource.URL.name(),
                        ConfigDef.CaseInsensitiveValidString.in("USER_INFO", "URL"),
                        Importance.MEDIUM,
                        "Where basic-auth credentials come from: USER_INFO takes "
                                + BASIC_AUTH_USER_INFO
                                + ", URL takes the user info of each URL.")
                .define(
                        BASIC_AUTH_USER_INFO,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "Basic-auth credentials as user:password, used with USER_INFO.")
                .define(
                        BEARER_AUTH_TOKEN,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "A static bearer token sent with every request; excludes basic auth.")
                .define(
                        MAX_SCHEMAS_PER_SUBJECT,
                        Type.INT,
                        1000,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        "How many distinct schemas the client caches per subject; more is an"
                                + " error, usually a sign of schemas built per record.")
                .define(
                        CONNECT_TIMEOUT_MS,
                        Type.INT,
                        10_000,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        "Timeout for connecting to the registry, in milliseconds.")
                .define(
                        REQUEST_TIMEOUT_MS,
                        Type.INT,
                        30_000,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        "Timeout for one registry request, in milliseconds.")
                .define(
                        SSL_TRUSTSTORE_LOCATION,
                        Type.STRING,
                        null,
                        Importance.MEDIUM,
                        "Trust store that verifies the registry's certificate over https; the"
                                + " JVM's default trust when unset.")
                .define(
                        SSL_TRUSTSTORE_PASSWORD,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "Password of the trust store.")
                .define(
                        SSL_TRUSTSTORE_TYPE,
                        Type.STRING,
                        "JKS",
                        ConfigDef.CaseInsensitiveValidString.in(STORE_TYPES),
                        Importance.LOW,
                        "Format of the trust store: JKS or PKCS12.")
                .define(
                        SSL_KEYSTORE_LOCATION,
                        Type.STRING,
                        null,
                        Importance.MEDIUM,
                        "Key store with the client certificate, for registries that require"
                                + " mutual TLS.")
                .define(
                        SSL_KEYSTORE_PASSWORD,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "Password of the key store; required with a key store.")
                .define(
                        SSL_KEYSTORE_TYPE,
                        Type.STRING,
                        "JKS",
                        ConfigDef.CaseInsensitiveValidString.in(STORE_TYPES),
                        Importance.LOW,
                        "Format of the key store: JKS or PKCS12.")
                .define(
                        SSL_KEY_PASSWORD,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "Password of the private key in the key store; the key store's password"
                                + " when unset.");
    }

    /** The definition of this config's keys, for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** The registry base URLs, without trailing slashes, in the order they are tried. */
    public List<URI> urls() {
        return getList(SCHEMA_REGISTRY_URL).stream()
                .map(String::trim)
                .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                .map(URI::create)
                .toList();
    }

    /** Where basic-auth credentials come from. */
    public CredentialsSource credentialsSource() {
        return CredentialsSource.valueOf(
                getString(BASIC_AUTH_CREDENTIALS_SOURCE).toUpperCase(Locale.ROOT));
    }

    /** The configured {@code user:password}, or null. */
    public String userInfo() {
        Password info = getPassword(BASIC_AUTH_USER_INFO);
        return info == null ? null : info.value();
    }

    /** The configured bearer token, or null. */
    public String bearerToken() {
        Password token = getPassword(BEARER_AUTH_TOKEN);
        return token == null ? null : token.value();
    }

    /** How many distinct schemas the client caches per subject. */
    public int maxSchemasPerSubject() {
        return getInt(MAX_SCHEMAS_PER_SUBJECT);
    }

    /** Timeout for connecting, in milliseconds. */
    public int connectTimeoutMs() {
        return getInt(CONNECT_TIMEOUT_MS);
    }

    /** Timeout for one request, in milliseconds. */
    public int requestTimeoutMs() {
        return getInt(REQUEST_TIMEOUT_MS);
    }

    /** The trust store file, or null for the JVM's default trust. */
    public String sslTruststoreLocation() {
        return getString(SSL_TRUSTSTORE_LOCATION);
    }

    /** The trust store's password, or null. */
    public String sslTruststorePassword() {
        return plain(getPassword(SSL_TRUSTSTORE_PASSWORD));
    }

    /** The trust store's format, upper case: JKS or PKCS12. */
    public String sslTruststoreType() {
        return getString(SSL_TRUSTSTORE_TYPE).toUpperCase(Locale.ROOT);
    }

    /** The key store file with the client certificate, or null for none. */
    public String sslKeystoreLocation() {
        return getString(SSL_KEYSTORE_LOCATION);
    }

    /** The key store's password, or null. */
    public String sslKeystorePassword() {
        return plain(getPassword(SSL_KEYSTORE_PASSWORD));
    }

    /** The key store's format, upper case: JKS or PKCS12. */
    public String sslKeystoreType() {
        return getString(SSL_KEYSTORE_TYPE).toUpperCase(Locale.ROOT);
    }

    /** The private key's password: {@value #SSL_KEY_PASSWORD}, else the key store's password. */
    public String sslKeyPassword() {
        String key = plain(getPassword(SSL_KEY_PASSWORD));
        return key != null ? key : sslKeystorePassword();
    }

    /** Whether any trust store or key store is configured. */
    public boolean hasSslStores() {
        return sslTruststoreLocation() != null || sslKeystoreLocation() != null;
    }

    private static String plain(Password password) {
        return password == null ? null : password.value();
    }

    private void validateTls() {
        if (sslKeystoreLocation() != null && sslKeystorePassword() == null) {
            throw new ConfigException(
                    SSL_KEYSTORE_PASSWORD,
                    null,
                    "required when " + SSL_KEYSTORE_LOCATION + " is set");
        }
        if (hasSslStores() && urls().stream().noneMatch(u -> "https".equals(u.getScheme()))) {
            throw new ConfigException(
                    SCHEMA_REGISTRY_URL,
                    getList(SCHEMA_REGISTRY_URL),
                    "has no https URL, but the schema.registry.ssl.* stores are set; use https"
                            + " URLs or remove the stores");
        }
    }

    private void validateAuth() {
        if (credentialsSource() == CredentialsSource.USER_INFO) {
            String info = userInfo();
            if (info == null || !info.contains(":")) {
                throw new ConfigException(
                        BASIC_AUTH_USER_INFO
                                + " must be user:password when "
                                + BASIC_AUTH_CREDENTIALS_SOURCE
                                + " is USER_INFO");
            }
        }
        if (bearerToken() != null && (userInfo() != null || urlsCarryUserInfo())) {
            throw new ConfigException(
                    "set either "
                            + BEARER_AUTH_TOKEN
                            + " or basic-auth credentials for the schema registry, not both");
        }
    }

    private boolean urlsCarryUserInfo() {
        return urls().stream().anyMatch(u -> u.getUserInfo() != null);
    }

    private static void validateUrls(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) value;
        if (urls == null || urls.isEmpty() || urls.stream().allMatch(String::isBlank)) {
            throw new ConfigException(
                    name, value, "give at least one URL, e.g. http://localhost:8081");
        }
        for (String url : urls) {
            validateUrl(name, url.trim());
        }
    }

    private static void validateUrl(String name, String url) {
        try {
            URI uri = URI.create(url);
            if (!Arrays.asList("http", "https").contains(uri.getScheme())
                    || uri.getHost() == null) {
                throw new ConfigException(
                        name, url, "must be an http or https URL such as http://localhost:8081");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, url, "is not a URL: " + e.getMessage());
        }
    }
}
