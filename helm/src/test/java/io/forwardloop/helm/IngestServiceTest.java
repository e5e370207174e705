package io.forwardloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ingest service: the Kafka Streams topology, run from the gateway image. */
class IngestServiceTest {
    private static final String INGEST = "fl-forwardloop-ingest";

    @Test
    void shouldRunTheIngestMainClassFromTheGatewayImageWithItsPropertiesFile() {
        Manifests manifests = Chart.render();
        Container ingest = ChartVariantsTest.pod(manifests, INGEST).getContainers().get(0);
        Container gateway =
                ChartVariantsTest.pod(manifests, "fl-forwardloop-gateway").getContainers().get(0);

        assertThat(ingest.getImage()).isEqualTo(gateway.getImage());
        assertThat(ingest.getEnv())
                .filteredOn(e -> e.getName().equals("MAIN_CLASS"))
                .extracting(EnvVar::getValue)
                .containsExactly("io.forwardloop.ingest.cli.IngestCommand");
        assertThat(gateway.getEnv()).noneMatch(e -> e.getName().equals("MAIN_CLASS"));
        assertThat(ingest.getArgs())
                .containsExactly("--config", "/etc/forwardloop/run/forwardloop.properties");
        assertThat(ingest.getPorts().get(0).getContainerPort()).isEqualTo(8083);
        assertThat(ingest.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(ingest.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    }

    @Test
    void shouldWireTheConnectionAdaptersApplicationIdAndHttpKeys() {
        String properties = Chart.render().properties(INGEST);

        assertThat(properties)
                .contains("kafka.bootstrap.servers=kafka-0.kafka:9092,")
                .contains("kafka.security.protocol=PLAINTEXT\n")
                .contains("schema.registry.url=http://schema-registry:8081\n")
                .contains("ingest.adapters=sentiment\n")
                .contains("ingest.application.id=fl-forwardloop-ingest\n")
                .contains("ingest.state.dir=/var/lib/forwardloop/ingest\n")
                .contains("ingest.http.host=0.0.0.0\n")
                .contains("ingest.http.port=8083\n");
    }

    @Test
    void shouldTakeReplicasApplicationIdAndAdaptersFromValues() {
        Manifests manifests =
                Chart.parse(
                        Chart.template(
                                List.of("values/monitoring-existing-secrets.yaml"),
                                Map.of(
                                        "ingest.replicas", "4",
                                        "ingest.applicationId", "loop-ingest-v2")));

        assertThat(manifests.named(Deployment.class, INGEST).getSpec().getReplicas()).isEqualTo(4);
        assertThat(manifests.properties(INGEST))
                .contains("ingest.adapters=sentiment,support-triage\n")
                .contains("ingest.application.id=loop-ingest-v2\n")
                .contains("kafka.sasl.mechanism=PLAIN\n");
        assertThat(
                        ChartVariantsTest.secretRef(
                                ChartVariantsTest.pod(manifests, INGEST),
                                "FLPROP_KAFKA_SASL_JAAS_CONFIG"))
                .isEqualTo("kafka-credentials/sasl-jaas-config");
    }

    @Test
    void shouldKeepTheStateStoreOnAnEmptyDirAtTheConfiguredStateDir() {
        Manifests manifests = Chart.render();
        PodSpec pod = ChartVariantsTest.pod(manifests, INGEST);

        Volume state =
                pod.getVolumes().stream()
                        .filter(v -> v.getName().equals("state"))
                        .findAny()
                        .orElseThrow();
        assertThat(state.getEmptyDir().getSizeLimit()).hasToString("2Gi");
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .filteredOn(m -> m.getName().equals("state"))
                .extracting(VolumeMount::getMountPath)
                .containsExactly("/var/lib/forwardloop/ingest");
        assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
                .isTrue();
    }

    @Test
    void shouldExposeMetricsThroughAHeadlessService() {
        Service service = Chart.render().named(Service.class, INGEST);

        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector())
                .containsEntry("app.kubernetes.io/component", "ingest");
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(8083))
                .satisfies(p -> assertThat(p.getName()).isEqualTo("http"));
    }

    @Test
    void shouldRenderNothingOfTheIngestServiceWhenDisabled() {
        Manifests manifests = Chart.renderWith(Map.of("ingest.enabled", "false"));

        assertThat(manifests.objects())
                .noneMatch(
                        o ->
                                "ingest"
                                        .equals(
                                                o.getMetadata()
                                                        .getLabels()
                                                        .get("app.kubernetes.io/component")));
    }
}
