package io.forwardloop.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.forwardloop.platform.ConfigFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The settings a service reads when its pod starts, made as the pod makes them.
 *
 * <p>The pod's config init container runs its own script over the component's ConfigMap, with each
 * {@code FLPROP_*} variable set to the value Kubernetes would give it from its Secret: the rendered
 * Secret's value, or, for a Secret the release does not make (an existing one named in the values),
 * a stand-in naming it. An optional reference to a key the Secret lacks sets no variable, as in a
 * pod; a required one fails, since such a pod would never start. The file the script writes is then
 * read by {@link ConfigFiles}, as the services read it.
 */
final class ServiceSettings {
    private ServiceSettings() {}

    /** Writes the properties file of {@code pod} under {@code dir} and loads it. */
    static Map<String, Object> load(Manifests manifests, PodSpec pod, Path dir) {
        try {
            Path base = dir.resolve("base");
            Path run = dir.resolve("run");
            Files.createDirectories(base);
            Files.createDirectories(run);
            Files.writeString(
                    base.resolve("forwardloop.properties"),
                    manifests.properties(configMapOf(pod)),
                    StandardCharsets.UTF_8);
            runInitScript(manifests, pod, dir);
            return ConfigFiles.load(run.resolve("forwardloop.properties"), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void runInitScript(Manifests manifests, PodSpec pod, Path dir)
            throws IOException {
        Container init = pod.getInitContainers().get(0);
        String script = init.getCommand().get(2).replace("/etc/forwardloop/", dir + "/");
        ProcessBuilder sh = new ProcessBuilder("sh", "-c", script).inheritIO();
        Map<String, String> env = sh.environment();
        env.keySet().removeIf(name -> name.startsWith("FLPROP_"));
        for (EnvVar variable : init.getEnv()) {
            secretValue(manifests, variable).ifPresent(value -> env.put(variable.getName(), value));
        }
        try {
            Process process = sh.start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("the config init script failed: " + script);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the config init script ran", e);
        }
    }

    private static Optional<String> secretValue(Manifests manifests, EnvVar variable) {
        SecretKeySelector ref = variable.getValueFrom().getSecretKeyRef();
        Optional<Secret> secret = manifests.find(Secret.class, ref.getName());
        if (secret.isEmpty()) {
            return Optional.of("existing-secret-" + ref.getName() + "-" + ref.getKey());
        }
        Map<String, String> data = secret.get().getData();
        String encoded = data == null ? null : data.get(ref.getKey());
        if (encoded == null) {
            if (Boolean.TRUE.equals(ref.getOptional())) {
                return Optional.empty();
            }
            throw new AssertionError(
                    variable.getName()
                            + " needs key "
                            + ref.getKey()
                            + " of Secret "
                            + ref.getName()
                            + ", which the chart renders without it");
        }
        return Optional.of(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
    }

    private static String configMapOf(PodSpec pod) {
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals("config"))
                .map(Volume::getConfigMap)
                .map(c -> c.getName())
                .findAny()
                .orElseThrow(() -> new AssertionError("the pod mounts no config ConfigMap"));
    }
}
