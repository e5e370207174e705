package io.forwardloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.forwardloop.flink.SignalJobConfig;
import io.forwardloop.ingest.gateway.GatewayConfig;
import io.forwardloop.ingest.streams.IngestConfig;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.registry.RegistryConfig;
import io.forwardloop.trainer.TrainerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each service's rendered properties, as its pod writes them (secrets from {@code FLPROP_*}
 * included), load into the service's own config class: every value has the type and range the
 * service declares, the rules between keys hold, and the chart wires no key the service does not
 * know.
 */
class ServiceConfigTest {
    private static final String GATEWAY = "fl-forwardloop-gateway";
    private static final String TRAINER = "fl-forwardloop-trainer-sentiment";
    private static final String REGISTRY = "fl-forwardloop-model-registry";
    private static final String INGEST = "fl-forwardloop-ingest";

    @TempDir Path dir;

    private static Manifests render(String variant) {
        List<String> files = variant.isEmpty() ? List.of() : List.of(variant);
        return Chart.renderWithHooks(files, Map.of());
    }

    private Map<String, Object> settings(Manifests manifests, String deployment) {
        return ServiceSettings.load(manifests, ChartVariantsTest.pod(manifests, deployment), dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "values/sasl-tls.yaml", "values/monitoring-existing-secrets.yaml"})
    void shouldLoadTheGatewaysPropertiesIntoGatewayConfig(String variant) {
        Manifests manifests = render(variant);
        Map<String, Object> settings = settings(manifests, GATEWAY);

        GatewayConfig gateway = new GatewayConfig(settings);
        ClusterConnection connection = ClusterConnection.from(settings);

        assertThat(gateway.httpPort()).isEqualTo(port(manifests, GATEWAY));
        assertThat(gateway.adapterSource()).isEqualTo(GatewayConfig.Source.REGISTRY);
        assertThat(gateway.registryUrl()).isEqualTo("http://fl-forwardloop-model-registry:8081");
        assertThat(gateway.adapterLabels()).containsKey("sentiment");
        assertThat(connection.serdeConfig()).isNotEmpty();
        assertThat(connection.kafkaProperties()).containsKey("bootstrap.servers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "values/sasl-tls.yaml", "values/monitoring-existing-secrets.yaml"})
    void shouldLoadTheTrainersPropertiesIntoTrainerConfig(String variant) {
        Manifests manifests = render(variant);

        TrainerConfig trainer = new TrainerConfig(settings(manifests, TRAINER));

        assertThat(trainer.adapterName()).isEqualTo("sentiment");
        assertThat(trainer.getInt(TrainerConfig.HTTP_PORT)).isEqualTo(port(manifests, TRAINER));
        assertThat(trainer.registryUrl()).contains("http://fl-forwardloop-model-registry:8081");
        assertThat(trainer.registryToken()).isNotBlank();
        assertThat(trainer.connection().serdeConfig()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "values/sasl-tls.yaml", "values/monitoring-existing-secrets.yaml"})
    void shouldLoadTheRegistrysPropertiesIntoRegistryConfig(String variant) {
        Manifests manifests = render(variant);
        Map<String, Object> settings = settings(manifests, REGISTRY);

        RegistryConfig registry = new RegistryConfig(settings);

        assertThat(registry.httpPort()).isEqualTo(port(manifests, REGISTRY));
        assertThat(registry.jdbcUrl()).startsWith("jdbc:postgresql://");
        assertThat(registry.authToken()).isNotBlank();
        assertThat(ClusterConnection.from(settings).kafkaProperties()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "values/sasl-tls.yaml", "values/monitoring-existing-secrets.yaml"})
    void shouldLoadTheSignalJobsPropertiesIntoSignalJobConfig(String variant) {
        Manifests manifests = render(variant);
        PodSpec pod = Manifests.flinkPodTemplate(manifests.flinkDeployment()).getSpec();

        SignalJobConfig job = SignalJobConfig.from(ServiceSettings.load(manifests, pod, dir));

        Map<?, ?> spec =
                (Map<?, ?>) manifests.flinkDeployment().getAdditionalProperties().get("spec");
        assertThat(job.parallelism()).isEqualTo(((Map<?, ?>) spec.get("job")).get("parallelism"));
        assertThat(job.holdoutShare()).isEqualTo(0.1);
        assertThat(job.connection().serdeConfig()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "values/sasl-tls.yaml", "values/monitoring-existing-secrets.yaml"})
    void shouldLoadTheIngestServicesPropertiesIntoIngestConfig(String variant) {
        Manifests manifests = render(variant);
        Map<String, Object> settings = settings(manifests, INGEST);

        IngestConfig ingest = new IngestConfig(settings);

        GatewayConfig gateway = new GatewayConfig(settings(manifests, GATEWAY));
        assertThat(ingest.adapters())
                .containsExactlyInAnyOrderElementsOf(gateway.adapterLabels().keySet());
        assertThat(ingest.dedupeWindowMs()).isEqualTo(3_600_000L);
        assertThat(ingest.httpHost()).isEqualTo("0.0.0.0");
        assertThat(ingest.httpPort()).isEqualTo(port(manifests, INGEST));
        assertThat(ClusterConnection.from(settings).serdeConfig()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "values/sasl-tls.yaml", "values/monitoring-existing-secrets.yaml"})
    void shouldRenderOnlyKeysTheServicesDeclare(String variant) {
        Manifests manifests = render(variant);
        PodSpec flink = Manifests.flinkPodTemplate(manifests.flinkDeployment()).getSpec();

        assertThat(undeclared(settings(manifests, GATEWAY), GatewayConfig.configDef()))
                .as("gateway")
                .isEmpty();
        assertThat(undeclared(settings(manifests, TRAINER), TrainerConfig.configDef()))
                .as("trainer")
                .isEmpty();
        assertThat(undeclared(settings(manifests, REGISTRY), RegistryConfig.configDef()))
                .as("registry")
                .isEmpty();
        assertThat(undeclared(settings(manifests, INGEST), IngestConfig.configDef()))
                .as("ingest")
                .isEmpty();
        assertThat(
                        undeclared(
                                ServiceSettings.load(manifests, flink, dir),
                                SignalJobConfig.configDef()))
                .as("signal job")
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"values/sasl-tls.yaml", "values/monitoring-existing-secrets.yaml"})
    void shouldHandTheSecretsToTheKafkaClientsOfEveryService(String variant) {
        Manifests manifests = render(variant);

        for (String deployment : List.of(GATEWAY, TRAINER, REGISTRY, INGEST)) {
            Map<String, Object> kafka =
                    ClusterConnection.from(settings(manifests, deployment)).kafkaProperties();
            assertThat(kafka.get("sasl.jaas.config")).as(deployment).asString().isNotBlank();
            assertThat(kafka.get("ssl.truststore.location"))
                    .as(deployment)
                    .isEqualTo("/etc/forwardloop/kafka-tls/truststore.p12");
        }
    }

    /** The rendered keys that neither the service's config class nor the connection declares. */
    private static Set<String> undeclared(Map<String, Object> settings, ConfigDef service) {
        Set<String> keys = new TreeSet<>(settings.keySet());
        keys.removeAll(service.names());
        keys.removeAll(ClusterConnection.configDef().names());
        return keys;
    }

    private static int port(Manifests manifests, String deployment) {
        Container main = ChartVariantsTest.pod(manifests, deployment).getContainers().get(0);
        return main.getPorts().get(0).getContainerPort();
    }
}
