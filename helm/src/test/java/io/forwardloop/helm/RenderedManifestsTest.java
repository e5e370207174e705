package io.forwardloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks that hold for every rendering: the defaults and each variant values file. */
class RenderedManifestsTest {
    /** A repository path, then a tag after the last slash; a digest may follow. */
    private static final Pattern PINNED_IMAGE =
            Pattern.compile("^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+:(?<tag>[A-Za-z0-9_.-]+)$");

    private static Manifests render(String variant) {
        return variant.isEmpty() ? Chart.render() : Chart.render(variant);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "values/sasl-tls.yaml",
                "values/scaling-off.yaml",
                "values/monitoring-existing-secrets.yaml"
            })
    void shouldParseEveryManifestIntoItsTypedModel(String variant) {
        Manifests manifests = render(variant);

        assertThat(manifests.objects()).hasSizeGreaterThan(10);
        for (HasMetadata object : manifests.objects()) {
            if (object instanceof GenericKubernetesResource generic) {
                assertThat(generic.getKind()).isIn("FlinkDeployment", "ServiceMonitor");
            }
            assertThat(object.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
                    .containsKey("app.kubernetes.io/component");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "values/sasl-tls.yaml",
                "values/scaling-off.yaml",
                "values/monitoring-existing-secrets.yaml"
            })
    void shouldLimitResourcesOfEveryContainer(String variant) {
        Manifests manifests = render(variant);

        for (Manifests.Pod pod : manifests.pods()) {
            for (Container container : pod.allContainers()) {
                if (pod.flink() && container.getName().equals("flink-main-container")) {
                    continue; // the operator sizes it from jobManager and taskManager
                }
                String who = pod.owner() + " container " + container.getName();
                assertThat(container.getResources()).as(who).isNotNull();
                assertThat(container.getResources().getLimits())
                        .as(who)
                        .containsKeys("cpu", "memory");
                assertThat(container.getResources().getRequests())
                        .as(who)
                        .containsKeys("cpu", "memory");
            }
        }
        Map<?, ?> spec = flinkSpec(manifests);
        for (String role : List.of("jobManager", "taskManager")) {
            Map<?, ?> resource = (Map<?, ?>) ((Map<?, ?>) spec.get(role)).get("resource");
            List<Object> keys = List.copyOf(resource.keySet());
            assertThat(keys).as(role).contains("cpu", "memory");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "values/sasl-tls.yaml",
                "values/scaling-off.yaml",
                "values/monitoring-existing-secrets.yaml"
            })
    void shouldRunEveryContainerAsNonRootWithoutPrivileges(String variant) {
        for (Manifests.Pod pod : render(variant).pods()) {
            assertThat(pod.spec().getSecurityContext().getRunAsNonRoot()).as(pod.owner()).isTrue();
            assertThat(pod.spec().getSecurityContext().getSeccompProfile().getType())
                    .as(pod.owner())
                    .isEqualTo("RuntimeDefault");
            for (Container container : pod.allContainers()) {
                String who = pod.owner() + " container " + container.getName();
                SecurityContext security = container.getSecurityContext();
                assertThat(security).as(who).isNotNull();
                assertThat(security.getRunAsNonRoot()).as(who).isTrue();
                assertThat(security.getRunAsUser()).as(who).isEqualTo(10001L);
                assertThat(security.getAllowPrivilegeEscalation()).as(who).isFalse();
                assertThat(security.getCapabilities().getDrop()).as(who).containsExactly("ALL");
                if (!pod.flink()) {
                    assertThat(security.getReadOnlyRootFilesystem()).as(who).isTrue();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "values/sasl-tls.yaml",
                "values/scaling-off.yaml",
                "values/monitoring-existing-secrets.yaml"
            })
    void shouldProbeEveryContainerThatServes(String variant) {
        List<String> serving = new ArrayList<>();
        for (Manifests.Pod pod : render(variant).pods()) {
            for (Container container : pod.spec().getContainers()) {
                if (container.getPorts().isEmpty()) {
                    continue;
                }
                String who = pod.owner() + " container " + container.getName();
                serving.add(container.getName());
                assertThat(container.getLivenessProbe().getHttpGet().getPath())
                        .as(who)
                        .isEqualTo("/health");
                assertThat(container.getReadinessProbe().getHttpGet().getPath())
                        .as(who)
                        .isEqualTo("/ready");
            }
        }
        assertThat(serving).contains("gateway", "model-registry", "trainer", "ingest");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "values/sasl-tls.yaml",
                "values/scaling-off.yaml",
                "values/monitoring-existing-secrets.yaml"
            })
    void shouldPinEveryImageToATagOtherThanLatest(String variant) {
        Manifests manifests = render(variant);
        List<String> images = new ArrayList<>();
        images.add((String) flinkSpec(manifests).get("image"));
        manifests.pods().stream()
                .flatMap(pod -> pod.allContainers().stream())
                .map(Container::getImage)
                .filter(image -> image != null)
                .forEach(images::add);

        assertThat(images).hasSizeGreaterThanOrEqualTo(8);
        for (String image : images) {
            var matcher = PINNED_IMAGE.matcher(image);
            assertThat(matcher.matches()).as("%s has a pinned tag", image).isTrue();
            assertThat(matcher.group("tag")).as(image).isNotEqualTo("latest");
        }
    }

    private static Map<?, ?> flinkSpec(Manifests manifests) {
        return (Map<?, ?>) manifests.flinkDeployment().getAdditionalProperties().get("spec");
    }
}
