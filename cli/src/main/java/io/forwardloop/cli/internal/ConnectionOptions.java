package io.forwardloop.cli.internal;

import io.forwardloop.platform.ClusterConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * How to reach an external cluster: a properties file with the connection keys, and options that
 * override single keys.
 */
public final class ConnectionOptions {
    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description =
                    "Kafka brokers to bootstrap from ("
                            + ClusterConnection.BOOTSTRAP_SERVERS
                            + ").")
    String bootstrapServers;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Properties file with connection keys (see docs/configuration.md).")
    Path commandConfig;

    @Option(
            names = "--security-protocol",
            paramLabel = "PROTOCOL",
            description = "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.")
    String securityProtocol;

    @Option(names = "--sasl-mechanism", paramLabel = "MECHANISM", description = "SASL mechanism.")
    String saslMechanism;

    @Option(names = "--sasl-jaas-config", paramLabel = "JAAS", description = "JAAS login line.")
    String saslJaasConfig;

    @Option(names = "--ssl-truststore-location", paramLabel = "FILE", description = "Trust store.")
    String truststoreLocation;

    @Option(
            names = "--ssl-truststore-password",
            paramLabel = "PASSWORD",
            description = "Trust store password.")
    String truststorePassword;

    @Option(names = "--ssl-keystore-location", paramLabel = "FILE", description = "Key store.")
    String keystoreLocation;

    @Option(
            names = "--ssl-keystore-password",
            paramLabel = "PASSWORD",
            description = "Key store password.")
    String keystorePassword;

    @Option(names = "--ssl-key-password", paramLabel = "PASSWORD", description = "Key password.")
    String keyPassword;

    /** Returns the connection the file and the options describe; the options win. */
    public ClusterConnection connection() {
        Map<String, Object> values = new HashMap<>(fileValues());
        putIfGiven(values, ClusterConnection.BOOTSTRAP_SERVERS, bootstrapServers);
        putIfGiven(values, ClusterConnection.SECURITY_PROTOCOL, securityProtocol);
        putIfGiven(values, ClusterConnection.SASL_MECHANISM, saslMechanism);
        putIfGiven(values, ClusterConnection.SASL_JAAS_CONFIG, saslJaasConfig);
        putIfGiven(values, ClusterConnection.SSL_TRUSTSTORE_LOCATION, truststoreLocation);
        putIfGiven(values, ClusterConnection.SSL_TRUSTSTORE_PASSWORD, truststorePassword);
        putIfGiven(values, ClusterConnection.SSL_KEYSTORE_LOCATION, keystoreLocation);
        putIfGiven(values, ClusterConnection.SSL_KEYSTORE_PASSWORD, keystorePassword);
        putIfGiven(values, ClusterConnection.SSL_KEY_PASSWORD, keyPassword);
        return ClusterConnection.from(values);
    }

    private Map<String, Object> fileValues() {
        Map<String, Object> values = new HashMap<>();
        if (commandConfig == null) {
            return values;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(commandConfig)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read --command-config " + commandConfig + ": " + e.getMessage(), e);
        }
        properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
        return values;
    }

    private static void putIfGiven(Map<String, Object> values, String key, String value) {
        if (value != null) {
            values.put(key, value);
        }
    }
}
