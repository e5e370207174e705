package io.forwardloop.helm;

import static io.forwardloop.helm.ChartVariantsTest.secretRef;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL and TLS settings reach every Kafka client: gateway, trainer, ingest service and the
 * topic-setup Job.
 */
class KafkaSecurityWiringTest {
    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"fl\""
                    + " password=\"s3cret\";";
    private static final List<String> CLIENTS =
            List.of(
                    "fl-forwardloop-gateway",
                    "fl-forwardloop-trainer-sentiment",
                    "fl-forwardloop-ingest",
                    "fl-forwardloop-topic-setup");

    private final Manifests manifests = Chart.render("values/sasl-tls.yaml");

    @Test
    void shouldWriteConnectionKeysIntoEveryClientsProperties() {
        for (String client : CLIENTS) {
            assertThat(manifests.properties(client))
                    .as(client)
                    .contains(
                            "kafka.bootstrap.servers=broker-1.example:9093,broker-2.example:9093\n")
                    .contains("kafka.security.protocol=SASL_SSL\n")
                    .contains("kafka.sasl.mechanism=SCRAM-SHA-512\n")
                    .contains(
                            "kafka.ssl.truststore.location="
                                    + "/etc/forwardloop/kafka-tls/truststore.p12\n")
                    .contains(
                            "kafka.ssl.keystore.location=/etc/forwardloop/kafka-tls/keystore.p12\n")
                    .contains("basic.auth.credentials.source=USER_INFO\n");
        }
    }

    @Test
    void shouldTakeSaslAndTlsSecretsFromSecretsNotConfigMaps() {
        for (String client : CLIENTS) {
            PodSpec pod = pod(client);
            String jaas = secretRef(pod, "FLPROP_KAFKA_SASL_JAAS_CONFIG");
            assertThat(decoded(jaas)).as(client).isEqualTo(JAAS);
            assertThat(decoded(secretRef(pod, "FLPROP_KAFKA_SSL_KEYSTORE_PASSWORD")))
                    .isEqualTo("key-store-pass");
            assertThat(decoded(secretRef(pod, "FLPROP_BASIC_AUTH_USER_INFO")))
                    .isEqualTo("fl:registry-pass");
            Container main = pod.getContainers().get(0);
            assertThat(main.getVolumeMounts())
                    .anySatisfy(
                            m ->
                                    assertThat(m.getMountPath())
                                            .isEqualTo("/etc/forwardloop/kafka-tls"));
        }
        for (ConfigMap configMap : manifests.ofType(ConfigMap.class)) {
            assertThat(configMap.getData().toString())
                    .doesNotContain("s3cret", "key-store-pass", "registry-pass", "db-pass");
        }
    }

    @Test
    void shouldPassTheCommandConfigToTheTopicSetupJob() {
        Container job = pod("fl-forwardloop-topic-setup").getContainers().get(0);

        assertThat(job.getArgs())
                .containsExactly(
                        "topics",
                        "create",
                        "--bootstrap-servers",
                        "broker-1.example:9093,broker-2.example:9093",
                        "--partitions",
                        "0",
                        "--replication-factor",
                        "3",
                        "--command-config",
                        "/etc/forwardloop/run/forwardloop.properties");
    }

    @Test
    void shouldTurnSecretVariablesIntoPropertiesThatJavaReadsBack(@TempDir Path dir)
            throws IOException, InterruptedException {
        Container init = pod("fl-forwardloop-gateway").getInitContainers().get(0);
        String script = init.getCommand().get(2).replace("/etc/forwardloop/", dir + "/");
        Files.createDirectories(dir.resolve("base"));
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(
                dir.resolve("base/forwardloop.properties"),
                manifests.properties("fl-forwardloop-gateway"));

        ProcessBuilder sh = new ProcessBuilder("sh", "-c", script).inheritIO();
        sh.environment().put("FLPROP_KAFKA_SASL_JAAS_CONFIG", JAAS);
        sh.environment().put("FLPROP_KAFKA_SSL_KEYSTORE_PASSWORD", "back\\slash=and:colon");
        Process process = sh.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();

        Properties written = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("run/forwardloop.properties"))) {
            written.load(in);
        }
        assertThat(written)
                .containsEntry("kafka.sasl.jaas.config", JAAS)
                .containsEntry("kafka.ssl.keystore.password", "back\\slash=and:colon")
                .containsEntry("kafka.security.protocol", "SASL_SSL")
                .containsEntry("gateway.serving.alias", "serving");
    }

    @Test
    void shouldRefuseSaslWithoutJaasConfigNamingTheValue() {
        assertThatThrownBy(
                        () ->
                                Chart.template(
                                        List.of(), Map.of("kafka.securityProtocol", "SASL_SSL")))
                .hasMessageContaining("kafka.sasl.jaasConfig is required");
    }

    private PodSpec pod(String name) {
        if (name.endsWith("topic-setup")) {
            return manifests.ofType(Job.class).get(0).getSpec().getTemplate().getSpec();
        }
        return ChartVariantsTest.pod(manifests, name);
    }

    /** The decoded value of {@code secret/key} in a Secret the chart rendered. */
    private String decoded(String ref) {
        String[] parts = ref.split("/", 2);
        String encoded = manifests.secretData(parts[0]).get(parts[1]);
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
}
