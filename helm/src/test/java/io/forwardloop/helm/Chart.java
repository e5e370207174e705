package io.forwardloop.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Renders the chart in {@code forwardloop/} with real Helm and parses what it renders. */
final class Chart {
    static final String RELEASE = "fl";
    static final String NAMESPACE = "loop";
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Kinds that no fabric8 model module of this build knows; parsed as generic resources. */
    private static final List<String> CUSTOM_KINDS = List.of("FlinkDeployment", "ServiceMonitor");

    private Chart() {}

    /** The chart directory, relative to the module. */
    static Path directory() {
        return Path.of("forwardloop").toAbsolutePath();
    }

    /** A values file under {@code src/test/resources}, such as {@code values/sasl-tls.yaml}. */
    static Path valuesFile(String name) {
        try {
            return Path.of(
                    Objects.requireNonNull(Chart.class.getResource("/" + name), name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    /** Renders with the default values, then the given values files, then {@code sets}. */
    static String template(List<String> valuesFiles, Map<String, String> sets) {
        TemplateCommand template =
                new Helm(directory()).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (String file : valuesFiles) {
            template = template.withValuesFile(valuesFile(file));
        }
        for (Map.Entry<String, String> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return template.call();
    }

    /** Renders and parses every manifest into a typed Kubernetes object. */
    static Manifests render(String... valuesFiles) {
        return parse(template(Arrays.asList(valuesFiles), Map.of()));
    }

    /** Renders with single values set on top of the defaults and parses the manifests. */
    static Manifests renderWith(Map<String, String> sets) {
        return parse(template(List.of(), sets));
    }

    static Manifests parse(String rendered) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : rendered.split("(?m)^---\\s*$")) {
            if (!isBlank(document)) {
                objects.add(unmarshal(document));
            }
        }
        return new Manifests(objects);
    }

    private static HasMetadata unmarshal(String document) {
        String kind = document.replaceAll("(?s).*?(?m)^kind:\\s*(\\S+).*", "$1");
        if (CUSTOM_KINDS.contains(kind)) {
            return SERIALIZATION.unmarshal(document, GenericKubernetesResource.class);
        }
        Object parsed = SERIALIZATION.unmarshal(document);
        if (!(parsed instanceof HasMetadata object)) {
            throw new AssertionError("not a Kubernetes object: " + document);
        }
        return object;
    }

    private static boolean isBlank(String document) {
        return document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"));
    }
}
