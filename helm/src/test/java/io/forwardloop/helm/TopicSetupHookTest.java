package io.forwardloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Topics exist before any service starts, so that {@code helm install --wait} cannot wait on pods
 * that need them: the topic-setup Job is a pre-install and pre-upgrade hook, and everything it
 * reads exists before it runs.
 */
class TopicSetupHookTest {
    private static final String JOB = "fl-forwardloop-topic-setup";
    private static final List<String> EVENTS = List.of("pre-install", "pre-upgrade");

    private static Manifests render(String variant) {
        List<String> files = variant.isEmpty() ? List.of() : List.of(variant);
        return Chart.renderWithHooks(files, Map.of("topicSetup.hook", "true"));
    }

    @Test
    void shouldSetUpTopicsBeforeInstallAndUpgradeAndRunNoHookAfterThem() {
        Manifests manifests = render("");

        assertThat(events(manifests.named(Job.class, JOB))).isEqualTo(EVENTS);
        for (HasMetadata object : manifests.objects()) {
            assertThat(events(object))
                    .as("%s %s", object.getKind(), object.getMetadata().getName())
                    .doesNotContain("post-install", "post-upgrade");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "values/sasl-tls.yaml", "values/monitoring-existing-secrets.yaml"})
    void shouldReadOnlyObjectsThatExistBeforeTheJobRuns(String variant) {
        Manifests manifests = render(variant);
        Job job = manifests.named(Job.class, JOB);
        PodSpec pod = job.getSpec().getTemplate().getSpec();

        List<HasMetadata> read = new ArrayList<>();
        for (String name : configMaps(pod)) {
            manifests.find(ConfigMap.class, name).ifPresent(read::add);
        }
        for (String name : secrets(pod)) {
            manifests.find(Secret.class, name).ifPresent(read::add);
        }
        assertThat(read).as("the Job's own connection objects").isNotEmpty();
        for (HasMetadata object : read) {
            String what = object.getKind() + " " + object.getMetadata().getName();
            assertThat(events(object)).as(what).isEqualTo(EVENTS);
            assertThat(weight(object)).as(what).isLessThan(weight(job));
        }
        String account = pod.getServiceAccountName();
        assertThat(account).isEqualTo("default");
        assertThat(manifests.find(ServiceAccount.class, account)).isEmpty();
    }

    @Test
    void shouldTakeTheCredentialsFromTheJobsOwnHookSecret() {
        Manifests manifests = render("values/sasl-tls.yaml");
        PodSpec pod = manifests.named(Job.class, JOB).getSpec().getTemplate().getSpec();

        String ref = ChartVariantsTest.secretRef(pod, "FLPROP_KAFKA_SASL_JAAS_CONFIG");
        assertThat(ref).isEqualTo(JOB + "/sasl-jaas-config");
        assertThat(events(manifests.named(Secret.class, JOB))).isEqualTo(EVENTS);
        assertThat(events(manifests.named(Secret.class, "fl-forwardloop-kafka"))).isEmpty();
    }

    @Test
    void shouldRenderAPlainJobPerRevisionWithoutHooks() {
        Manifests manifests = Chart.renderWithHooks(List.of(), Map.of("topicSetup.hook", "false"));

        Job job = manifests.named(Job.class, JOB + "-1");
        assertThat(events(job)).isEmpty();
        assertThat(events(manifests.named(ConfigMap.class, JOB))).isEmpty();
        assertThat(job.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("fl-forwardloop");
    }

    @Test
    void shouldGenerateTheRegistryTokenOnceBeforeAnyServiceReadsIt() {
        Secret token = render("").named(Secret.class, "fl-forwardloop-registry-auth");

        assertThat(events(token)).containsExactly("pre-install");
        assertThat(weight(token)).isEqualTo(-20);
        assertThat(token.getMetadata().getAnnotations())
                .containsEntry("helm.sh/resource-policy", "keep");
        String value =
                new String(
                        Base64.getDecoder().decode(token.getData().get("token")),
                        StandardCharsets.UTF_8);
        assertThat(value).hasSize(40);
    }

    /** The hook events of an object; empty for an object Helm applies with the release. */
    private static List<String> events(HasMetadata object) {
        return annotation(object, "helm.sh/hook")
                .map(events -> List.of(events.split(",")))
                .orElse(List.of());
    }

    private static int weight(HasMetadata object) {
        return annotation(object, "helm.sh/hook-weight").map(Integer::parseInt).orElse(0);
    }

    private static Optional<String> annotation(HasMetadata object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(key));
    }

    private static List<String> configMaps(PodSpec pod) {
        return pod.getVolumes().stream()
                .filter(v -> v.getConfigMap() != null)
                .map(v -> v.getConfigMap().getName())
                .toList();
    }

    private static List<String> secrets(PodSpec pod) {
        List<String> names = new ArrayList<>();
        pod.getVolumes().stream()
                .map(Volume::getSecret)
                .filter(s -> s != null)
                .forEach(s -> names.add(s.getSecretName()));
        pod.getInitContainers().get(0).getEnv().stream()
                .map(EnvVar::getValueFrom)
                .filter(v -> v != null && v.getSecretKeyRef() != null)
                .forEach(v -> names.add(v.getSecretKeyRef().getName()));
        return names;
    }
}
