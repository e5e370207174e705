package io.forwardloop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.schemas.registry.SchemaRegistryClientConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ClusterConnectionTest {

    private static Map<String, Object> minimal() {
        Map<String, Object> values = new HashMap<>();
        values.put(ClusterConnection.BOOTSTRAP_SERVERS, "broker-1:9092,broker-2:9092");
        values.put(ClusterConnection.SCHEMA_REGISTRY_URL, "http://registry:8081/");
        return values;
    }

    @Test
    void shouldTurnAPlaintextConnectionIntoClientProperties() {
        ClusterConnection connection = ClusterConnection.from(minimal());

        assertThat(connection.kafkaProperties())
                .containsEntry("bootstrap.servers", "broker-1:9092,broker-2:9092")
                .containsEntry("security.protocol", "PLAINTEXT")
                .doesNotContainKey("sasl.jaas.config");
        assertThat(connection.schemaRegistryUrl()).isEqualTo("http://registry:8081");
        assertThat(connection.serdeConfig()).doesNotContainKey("basic.auth.user.info");
    }

    @Test
    void shouldPassSaslAndTlsSettingsUnderKafkaNames() {
        Map<String, Object> values = minimal();
        values.put(ClusterConnection.SECURITY_PROTOCOL, "SASL_SSL");
        values.put(ClusterConnection.SASL_MECHANISM, "SCRAM-SHA-512");
        values.put(ClusterConnection.SASL_JAAS_CONFIG, "ScramLoginModule required;");
        values.put(ClusterConnection.SSL_TRUSTSTORE_LOCATION, "/etc/kafka/truststore.p12");
        values.put(ClusterConnection.SSL_TRUSTSTORE_PASSWORD, "secret");
        values.put(SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
        values.put(SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO, "svc:pw");

        Map<String, Object> props = ClusterConnection.from(values).clientProperties();

        assertThat(props)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "ScramLoginModule required;")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
                .containsEntry("ssl.truststore.password", "secret")
                .containsEntry("basic.auth.credentials.source", "USER_INFO")
                .containsEntry("basic.auth.user.info", "svc:pw");
    }

    @Test
    void shouldNameTheMissingBootstrapKey() {
        Map<String, Object> values = minimal();
        values.remove(ClusterConnection.BOOTSTRAP_SERVERS);

        assertThatThrownBy(() -> ClusterConnection.from(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void shouldNameTheKeyOfAMalformedBootstrapServer() {
        Map<String, Object> values = minimal();
        values.put(ClusterConnection.BOOTSTRAP_SERVERS, "broker-1");

        assertThatThrownBy(() -> ClusterConnection.from(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.bootstrap.servers")
                .hasMessageContaining("broker-1");
    }

    @Test
    void shouldNameTheKeyOfAnUnknownSecurityProtocol() {
        Map<String, Object> values = minimal();
        values.put(ClusterConnection.SECURITY_PROTOCOL, "TLS");

        assertThatThrownBy(() -> ClusterConnection.from(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.security.protocol")
                .hasMessageContaining("TLS");
    }

    @Test
    void shouldRequireAJaasConfigForSasl() {
        Map<String, Object> values = minimal();
        values.put(ClusterConnection.SECURITY_PROTOCOL, "SASL_PLAINTEXT");

        assertThatThrownBy(() -> ClusterConnection.from(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.sasl.jaas.config")
                .hasMessageContaining("SASL_PLAINTEXT");
    }

    @Test
    void shouldRequireAKeystorePasswordWithAKeystore() {
        Map<String, Object> values = minimal();
        values.put(ClusterConnection.SSL_KEYSTORE_LOCATION, "/etc/kafka/client.p12");

        assertThatThrownBy(() -> ClusterConnection.from(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.ssl.keystore.password");
    }

    @Test
    void shouldNameTheKeyOfARegistryUrlWithoutScheme() {
        Map<String, Object> values = minimal();
        values.put(ClusterConnection.SCHEMA_REGISTRY_URL, "registry:8081");

        assertThatThrownBy(() -> ClusterConnection.from(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldPassRegistrySettingsToTheSerdesUnchanged() {
        Map<String, Object> values = minimal();
        values.put(SchemaRegistryClientConfig.REQUEST_TIMEOUT_MS, "5000");

        assertThat(ClusterConnection.from(values).serdeConfig())
                .containsEntry("schema.registry.url", "http://registry:8081/")
                .containsEntry("schema.registry.request.timeout.ms", "5000")
                .doesNotContainKey("kafka.bootstrap.servers");
    }

    @Test
    void shouldServeKafkaClientsWithoutARegistryAndNameTheKeyWhenSerdesAskForOne() {
        ClusterConnection connection =
                ClusterConnection.from(Map.of(ClusterConnection.BOOTSTRAP_SERVERS, "b:9092"));

        assertThat(connection.hasSchemaRegistry()).isFalse();
        assertThat(connection.kafkaProperties()).containsEntry("bootstrap.servers", "b:9092");
        assertThatThrownBy(connection::serdeConfig)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldDocumentEveryKeyInTheConfigurationReference() throws IOException {
        String reference = Files.readString(Path.of("..", "docs", "configuration.md"));

        assertThat(ClusterConnection.configDef().names())
                .allSatisfy(key -> assertThat(reference).contains("`" + key + "`"));
    }
}
