package io.forwardloop.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** Renders the chart in {@code forwardloop/} with real Helm and parses what it renders. */
final class Chart {
    static final String RELEASE = "fl";
    static final String NAMESPACE = "loop";
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** The annotation that makes an object a Helm hook, and the key it is renamed to meanwhile. */
    private static final String HOOK_ANNOTATION = "helm.sh/hook";

    private static final String UNHOOKED = "unhooked.forwardloop.io/hook";

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
        return template(directory(), valuesFiles, sets);
    }

    /**
     * Renders the hooks too: the objects annotated {@code helm.sh/hook*}, which Helm's template
     * action keeps out of the manifest it returns (they are run, not applied).
     *
     * <p>The chart is copied with the hook annotations renamed, so that Helm renders the hook
     * objects as ordinary ones, and the rendering is renamed back: what comes out is exactly what
     * the templates make, hooks included.
     */
    static Manifests renderWithHooks(List<String> valuesFiles, Map<String, String> sets) {
        Path copy = copyWithHooksRenamed();
        try {
            String rendered = template(copy, valuesFiles, sets);
            return parse(rendered.replace(UNHOOKED, HOOK_ANNOTATION));
        } finally {
            delete(copy);
        }
    }

    private static String template(Path chart, List<String> valuesFiles, Map<String, String> sets) {
        TemplateCommand template =
                new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
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

    private static Path copyWithHooksRenamed() {
        try {
            Path copy = Files.createTempDirectory("forwardloop-chart");
            try (Stream<Path> files = Files.walk(directory())) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(directory().relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else if (source.getParent().endsWith("templates")) {
                        String text = Files.readString(source);
                        Files.writeString(target, text.replace(HOOK_ANNOTATION, UNHOOKED));
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the chart", e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) files.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    private static boolean isBlank(String document) {
        return document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"));
    }
}
