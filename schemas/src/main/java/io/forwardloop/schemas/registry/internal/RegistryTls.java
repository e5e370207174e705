package io.forwardloop.schemas.registry.internal;

import io.forwardloop.schemas.registry.SchemaRegistryClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * Builds the {@link SSLContext} of a registry client from the {@code schema.registry.ssl.*} keys.
 *
 * <p>The trust store replaces the JVM's default trust; without one the default stays. The key store
 * supplies the client certificate for mutual TLS. Every failure is a {@link ConfigException} naming
 * the key whose value is wrong.
 */
final class RegistryTls {

    private RegistryTls() {}

    /** The context for {@code config}'s stores, or null when none is set (the JVM's default). */
    static SSLContext context(SchemaRegistryClientConfig config) {
        if (!config.hasSslStores()) {
            return null;
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(config), trustManagers(config), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(
                    "cannot set up TLS for the schema registry client: " + e.getMessage());
        }
    }

    private static TrustManager[] trustManagers(SchemaRegistryClientConfig config)
            throws GeneralSecurityException {
        String location = config.sslTruststoreLocation();
        if (location == null) {
            return null;
        }
        KeyStore store =
                load(
                        location,
                        config.sslTruststoreType(),
                        config.sslTruststorePassword(),
                        SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION,
                        SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD);
        TrustManagerFactory factory =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static KeyManager[] keyManagers(SchemaRegistryClientConfig config)
            throws GeneralSecurityException {
        String location = config.sslKeystoreLocation();
        if (location == null) {
            return null;
        }
        KeyStore store =
                load(
                        location,
                        config.sslKeystoreType(),
                        config.sslKeystorePassword(),
                        SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION,
                        SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD);
        KeyManagerFactory factory =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        try {
            factory.init(store, chars(config.sslKeyPassword()));
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException(
                    SchemaRegistryClientConfig.SSL_KEY_PASSWORD,
                    "[hidden]",
                    "does not unlock the private key in "
                            + location
                            + " ("
                            + e.getMessage()
                            + "); set the key's password, or leave it unset when it is the key"
                            + " store's");
        }
        return factory.getKeyManagers();
    }

    private static KeyStore load(
            String location, String type, String password, String locationKey, String passwordKey)
            throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, chars(password));
            return store;
        } catch (NoSuchFileException e) {
            throw new ConfigException(locationKey, location, "no such file");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new ConfigException(
                        passwordKey,
                        "[hidden]",
                        "does not open " + location + "; give the password of that store");
            }
            throw new ConfigException(
                    locationKey,
                    location,
                    "cannot be read as a "
                            + type
                            + " store ("
                            + e.getMessage()
                            + "); check the file, its type and "
                            + passwordKey);
        }
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }
}
