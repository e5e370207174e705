package io.forwardloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each switch in the values turns on or off. */
class ChartVariantsTest {
    private static final String GATEWAY = "fl-forwardloop-gateway";

    @Test
    void shouldScaleGatewaysWithAnAutoscalerAndKeepOneDuringDisruptions() {
        Manifests manifests = Chart.render();

        HorizontalPodAutoscaler hpa = manifests.named(HorizontalPodAutoscaler.class, GATEWAY);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(GATEWAY);
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(manifests.named(Deployment.class, GATEWAY).getSpec().getReplicas()).isNull();
        assertThat(
                        manifests
                                .named(PodDisruptionBudget.class, GATEWAY)
                                .getSpec()
                                .getMinAvailable()
                                .getIntVal())
                .isEqualTo(1);
    }

    @Test
    void shouldFixGatewayReplicasWithoutAutoscalerOrPoliciesWhenSwitchedOff() {
        Manifests manifests = Chart.render("values/scaling-off.yaml");

        assertThat(manifests.ofType(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(manifests.ofType(PodDisruptionBudget.class)).isEmpty();
        assertThat(manifests.ofType(NetworkPolicy.class)).isEmpty();
        assertThat(manifests.named(Deployment.class, GATEWAY).getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void shouldLetOnlyGatewaysAndTrainersReachTheRegistryByDefault() {
        Manifests manifests = Chart.render();

        assertThat(manifests.ofType(NetworkPolicy.class)).hasSize(5);
        NetworkPolicy registry =
                manifests.named(NetworkPolicy.class, "fl-forwardloop-model-registry");
        assertThat(registry.getSpec().getIngress()).hasSize(1);
        assertThat(registry.getSpec().getIngress().get(0).getFrom())
                .extracting(
                        peer ->
                                peer.getPodSelector()
                                        .getMatchLabels()
                                        .get("app.kubernetes.io/component"))
                .containsExactly("gateway", "trainer");
        for (String component : List.of("trainer", "ingest")) {
            NetworkPolicy policy =
                    manifests.named(NetworkPolicy.class, "fl-forwardloop-" + component);
            assertThat(policy.getSpec().getIngress()).as(component).isEmpty();
        }
        assertThat(manifests.ofKind("ServiceMonitor")).isEmpty();
    }

    @Test
    void shouldScrapeEveryServiceWhenServiceMonitorsAreOn() {
        Manifests manifests = Chart.render("values/monitoring-existing-secrets.yaml");

        List<GenericKubernetesResource> monitors = manifests.ofKind("ServiceMonitor");
        assertThat(monitors)
                .extracting(m -> m.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        GATEWAY,
                        "fl-forwardloop-model-registry",
                        "fl-forwardloop-trainer",
                        "fl-forwardloop-ingest");
        assertThat(monitors)
                .allSatisfy(
                        m -> assertThat(m.getApiVersion()).isEqualTo("monitoring.coreos.com/v1"));
        assertThat(monitors)
                .allSatisfy(
                        m ->
                                assertThat(m.getMetadata().getLabels())
                                        .containsEntry("release", "prometheus"));
        GenericKubernetesResource registry =
                monitors.stream()
                        .filter(m -> m.getMetadata().getName().endsWith("model-registry"))
                        .findAny()
                        .orElseThrow();
        Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) spec(registry).get("endpoints")).get(0);
        assertThat(endpoint.get("path")).isEqualTo("/metrics");
        assertThat(endpoint.get("bearerTokenSecret"))
                .isEqualTo(Map.of("name", "registry-token", "key", "bearer"));
        NetworkPolicy trainer = manifests.named(NetworkPolicy.class, "fl-forwardloop-trainer");
        assertThat(trainer.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector())
                .isNotNull();
    }

    @Test
    void shouldReferenceExistingSecretsWithoutCreatingAny() {
        Manifests manifests = Chart.render("values/monitoring-existing-secrets.yaml");

        assertThat(manifests.ofType(Secret.class)).isEmpty();
        PodSpec registry = pod(manifests, "fl-forwardloop-model-registry");
        assertThat(secretRef(registry, "FLPROP_REGISTRY_AUTH_TOKEN"))
                .isEqualTo("registry-token/bearer");
        assertThat(secretRef(registry, "FLPROP_REGISTRY_JDBC_PASSWORD"))
                .isEqualTo("registry-db/pg-password");
        assertThat(secretRef(registry, "FLPROP_KAFKA_SASL_JAAS_CONFIG"))
                .isEqualTo("kafka-credentials/sasl-jaas-config");
        Volume stores =
                registry.getVolumes().stream()
                        .filter(v -> v.getName().equals("kafka-tls"))
                        .findAny()
                        .orElseThrow();
        assertThat(stores.getSecret().getSecretName()).isEqualTo("kafka-stores");
        assertThat(
                        secretRef(
                                pod(manifests, "fl-forwardloop-trainer-sentiment"),
                                "FLPROP_TRAINER_REGISTRY_TOKEN"))
                .isEqualTo("registry-token/bearer");
    }

    @Test
    void shouldRunOneSingleWriterTrainerPerAdapter() {
        Manifests manifests = Chart.render("values/monitoring-existing-secrets.yaml");

        for (String adapter : List.of("sentiment", "support-triage")) {
            Deployment trainer =
                    manifests.named(Deployment.class, "fl-forwardloop-trainer-" + adapter);
            assertThat(trainer.getSpec().getReplicas()).isEqualTo(1);
            assertThat(trainer.getSpec().getStrategy().getType()).isEqualTo("Recreate");
            assertThat(manifests.properties("fl-forwardloop-trainer-" + adapter))
                    .contains("trainer.adapter.name=" + adapter + "\n");
        }
        assertThat(manifests.properties("fl-forwardloop-trainer-support-triage"))
                .contains("trainer.method=ff");
        assertThat(manifests.properties("fl-forwardloop-trainer-sentiment"))
                .doesNotContain("trainer.method");
        assertThat(
                        pod(manifests, "fl-forwardloop-trainer-support-triage")
                                .getContainers()
                                .get(0)
                                .getResources()
                                .getLimits()
                                .get("memory"))
                .hasToString("1Gi");
    }

    @Test
    void shouldWireTheTrainerServiceToItsProbesRegistryAndCluster() {
        Manifests manifests = Chart.render();

        String properties = manifests.properties("fl-forwardloop-trainer-sentiment");
        Deployment trainer = manifests.named(Deployment.class, "fl-forwardloop-trainer-sentiment");
        assertThat(properties)
                .contains("trainer.adapter.name=sentiment\n")
                .contains("trainer.http.host=0.0.0.0\n")
                .contains("trainer.http.port=8082\n")
                .contains("trainer.registry.url=http://fl-forwardloop-model-registry:")
                .contains("trainer.serving.alias=serving")
                .contains("kafka.bootstrap.servers=")
                .contains("schema.registry.url=")
                .doesNotContain("\nbootstrap.servers=");
        assertThat(trainer.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsExactly("--config", "/etc/forwardloop/run/forwardloop.properties");
        assertThat(
                        secretRef(
                                pod(manifests, "fl-forwardloop-trainer-sentiment"),
                                "FLPROP_TRAINER_REGISTRY_TOKEN"))
                .endsWith("/token");
    }

    @Test
    void shouldWriteServiceKeysAsGivenWithWholeNumbersInFull() {
        Manifests manifests = Chart.render();

        assertThat(manifests.properties("fl-forwardloop-signal-job"))
                .contains("join.feedback.wait.ms=21600000\n")
                .contains("signal.epsilon=0.001\n")
                .contains("holdout.share=0.1\n")
                .contains("job.parallelism=2\n");
        assertThat(manifests.properties(GATEWAY))
                .contains("encoder.id=bge-small-q\n")
                .contains("gateway.http.port=8080\n")
                .contains("gateway.registry.url=http://fl-forwardloop-model-registry:8081\n")
                .contains("gateway.serving.alias=serving\n")
                .contains("gateway.http.host=0.0.0.0\n")
                .contains("gateway.adapter.source=registry\n")
                .contains("gateway.adapters=sentiment:negative|positive\n");
        assertThat(manifests.properties("fl-forwardloop-model-registry"))
                .contains("registry.jdbc.url=jdbc:postgresql://postgresql:5432/forwardloop\n");
    }

    static PodSpec pod(Manifests manifests, String deployment) {
        return manifests.named(Deployment.class, deployment).getSpec().getTemplate().getSpec();
    }

    /** Where the config init container takes a variable from, as {@code secret/key}. */
    static String secretRef(PodSpec pod, String variable) {
        EnvVar env =
                pod.getInitContainers().get(0).getEnv().stream()
                        .filter(e -> e.getName().equals(variable))
                        .findAny()
                        .orElseThrow(() -> new AssertionError("no variable " + variable));
        var ref = env.getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    private static Map<?, ?> spec(GenericKubernetesResource resource) {
        return (Map<?, ?>) resource.getAdditionalProperties().get("spec");
    }
}
