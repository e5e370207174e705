package io.forwardloop.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.forwardloop.schemas.avro.Feedback;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST client over https against a JDK {@link HttpsServer} that answers the schema lookup the
 * way a registry does, with a self-signed certificate made by the JDK's keytool for each run.
 *
 * <p>The server's key store ({@code registry.jks}, JKS, key password distinct from the store's)
 * doubles as the client's key store for mutual TLS; {@code trust.p12} (PKCS12) holds the
 * certificate alone and is the trust store of both sides.
 */
class RegistryClientTlsTest {
    private static final String STORE_PASSWORD = "store-secret";
    private static final String KEY_PASSWORD = "key-secret";
    private static final String TRUST_PASSWORD = "trust-secret";

    @TempDir static Path stores;
    static Path keyStore;
    static Path trustStore;

    private HttpsServer server;

    @BeforeAll
    static void makeCertificate() throws Exception {
        keyStore = stores.resolve("registry.jks");
        trustStore = stores.resolve("trust.p12");
        Path certificate = stores.resolve("registry.crt");
        keytool(
                "-genkeypair",
                "-alias",
                "registry",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-storetype",
                "JKS",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-keypass",
                KEY_PASSWORD);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "registry",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-file",
                certificate.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "registry",
                "-file",
                certificate.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                trustStore.toString(),
                "-storepass",
                TRUST_PASSWORD);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldFetchASchemaFromAnHttpsRegistryItsTrustStoreTrusts() throws Exception {
        String url = start(false);

        try (SchemaRegistryClient client = SchemaRegistryClients.create(trusting(url))) {
            assertThat(client.schemaById(1)).isEqualTo(Feedback.getClassSchema());
        }
    }

    @Test
    void shouldRefuseAnHttpsRegistryWhenOnlyTheJvmsDefaultTrustIsSet() throws Exception {
        String url = start(false);

        try (SchemaRegistryClient client =
                SchemaRegistryClients.create(Map.of("schema.registry.url", url))) {
            assertThatThrownBy(() -> client.schemaById(1))
                    .isInstanceOf(SchemaRegistryUnreachableException.class)
                    .hasMessageContaining(url)
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining("schema.registry.ssl.truststore.location");
        }
    }

    @Test
    void shouldPresentItsKeyStoreCertificateToARegistryThatRequiresOne() throws Exception {
        String url = start(true);
        Map<String, Object> config = trusting(url);
        config.put("schema.registry.ssl.keystore.location", keyStore.toString());
        config.put("schema.registry.ssl.keystore.password", STORE_PASSWORD);
        config.put("schema.registry.ssl.key.password", KEY_PASSWORD);

        try (SchemaRegistryClient client = SchemaRegistryClients.create(config)) {
            assertThat(client.schemaById(1)).isEqualTo(Feedback.getClassSchema());
        }
        try (SchemaRegistryClient anonymous = SchemaRegistryClients.create(trusting(url))) {
            assertThatThrownBy(() -> anonymous.schemaById(1))
                    .isInstanceOf(SchemaRegistryUnreachableException.class)
                    .hasMessageContaining(url);
        }
    }

    @Test
    void shouldNameTheKeyPasswordWhenTheStorePasswordDoesNotUnlockTheKey() {
        Map<String, Object> config = trusting("https://127.0.0.1:8081");
        config.put("schema.registry.ssl.keystore.location", keyStore.toString());
        config.put("schema.registry.ssl.keystore.password", STORE_PASSWORD);

        assertThatThrownBy(() -> SchemaRegistryClients.create(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.key.password")
                .hasMessageContaining(keyStore.toString())
                .hasMessageNotContaining(STORE_PASSWORD);
    }

    @Test
    void shouldNameTheTrustStorePasswordWhenItIsWrong() {
        Map<String, Object> config = trusting("https://127.0.0.1:8081");
        config.put("schema.registry.ssl.truststore.password", "guess");

        assertThatThrownBy(() -> SchemaRegistryClients.create(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.truststore.password")
                .hasMessageContaining(trustStore.toString())
                .hasMessageNotContaining("guess");
    }

    @Test
    void shouldNameTheTrustStoreLocationWhenTheFileIsMissing() {
        Map<String, Object> config = trusting("https://127.0.0.1:8081");
        String missing = stores.resolve("nowhere.p12").toString();
        config.put("schema.registry.ssl.truststore.location", missing);

        assertThatThrownBy(() -> SchemaRegistryClients.create(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.truststore.location")
                .hasMessageContaining(missing)
                .hasMessageContaining("no such file");
    }

    @Test
    void shouldRequireTheKeyStorePasswordWithAKeyStore() {
        Map<String, Object> config = trusting("https://127.0.0.1:8081");
        config.put("schema.registry.ssl.keystore.location", keyStore.toString());

        assertThatThrownBy(() -> new SchemaRegistryClientConfig(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.keystore.password")
                .hasMessageContaining("schema.registry.ssl.keystore.location");
    }

    @Test
    void shouldRefuseStoresWhenNoUrlIsHttps() {
        Map<String, Object> config = trusting("http://127.0.0.1:8081");

        assertThatThrownBy(() -> new SchemaRegistryClientConfig(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url")
                .hasMessageContaining("https");
    }

    @Test
    void shouldRefuseAStoreTypeTheClientCannotRead() {
        Map<String, Object> config = trusting("https://127.0.0.1:8081");
        config.put("schema.registry.ssl.truststore.type", "PEM");

        assertThatThrownBy(() -> new SchemaRegistryClientConfig(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.truststore.type")
                .hasMessageContaining("PEM");
    }

    private static Map<String, Object> trusting(String url) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", url);
        config.put("schema.registry.ssl.truststore.location", trustStore.toString());
        config.put("schema.registry.ssl.truststore.password", TRUST_PASSWORD);
        config.put("schema.registry.ssl.truststore.type", "pkcs12");
        return config;
    }

    /** Starts the https registry stand-in and returns its base URL. */
    private String start(boolean needClientCertificate) throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(
                new HttpsConfigurator(serverContext()) {
                    @Override
                    public void configure(HttpsParameters params) {
                        SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                        ssl.setNeedClientAuth(needClientCertificate);
                        params.setSSLParameters(ssl);
                    }
                });
        server.createContext("/schemas/ids/1", RegistryClientTlsTest::answerSchema);
        server.start();
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void answerSchema(HttpExchange exchange) throws IOException {
        String schema = Feedback.getClassSchema().toString();
        String body = "{\"schema\":\"" + schema.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static SSLContext serverContext() throws Exception {
        KeyManagerFactory keys =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore, "JKS", STORE_PASSWORD), KEY_PASSWORD.toCharArray());
        TrustManagerFactory trust =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore, "PKCS12", TRUST_PASSWORD));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file, String type, String password) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    /** Runs the keytool of the JDK running this test. */
    private static void keytool(String... args) throws Exception {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(args));
        Path output = stores.resolve("keytool.log");
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(
                    "keytool " + String.join(" ", args) + " failed: " + Files.readString(output));
        }
    }
}
