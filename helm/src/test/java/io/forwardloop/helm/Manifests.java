package io.forwardloop.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The objects one rendering of the chart produced, with lookups the tests need. */
record Manifests(List<HasMetadata> objects) {

    /** A workload's pod: who owns it, its spec, and whether Flink's operator runs it. */
    record Pod(String owner, PodSpec spec, boolean flink) {
        List<Container> allContainers() {
            List<Container> all = new ArrayList<>(spec.getInitContainers());
            all.addAll(spec.getContainers());
            return all;
        }
    }

    <T extends HasMetadata> List<T> ofType(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> ofKind(String kind) {
        return ofType(GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals(kind))
                .toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return find(type, name)
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return ofType(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findAny();
    }

    GenericKubernetesResource flinkDeployment() {
        return ofKind("FlinkDeployment").stream()
                .findAny()
                .orElseThrow(() -> new AssertionError("no FlinkDeployment rendered"));
    }

    /** The properties file of a component's ConfigMap. */
    String properties(String configMap) {
        return named(ConfigMap.class, configMap).getData().get("forwardloop.properties");
    }

    Map<String, String> secretData(String name) {
        return named(Secret.class, name).getData();
    }

    /** Every pod the rendered workloads would run, the FlinkDeployment's pod template included. */
    List<Pod> pods() {
        Stream<Pod> deployments =
                ofType(Deployment.class).stream()
                        .map(d -> new Pod(name(d), d.getSpec().getTemplate().getSpec(), false));
        Stream<Pod> jobs =
                ofType(Job.class).stream()
                        .map(j -> new Pod(name(j), j.getSpec().getTemplate().getSpec(), false));
        Stream<Pod> flink =
                ofKind("FlinkDeployment").stream()
                        .map(f -> new Pod(name(f), flinkPodTemplate(f).getSpec(), true));
        return Stream.of(deployments, jobs, flink).flatMap(s -> s).toList();
    }

    static io.fabric8.kubernetes.api.model.Pod flinkPodTemplate(GenericKubernetesResource f) {
        Object template = ((Map<?, ?>) f.getAdditionalProperties().get("spec")).get("podTemplate");
        return Chart.SERIALIZATION.convertValue(
                template, io.fabric8.kubernetes.api.model.Pod.class);
    }

    private static String name(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getName();
    }
}
