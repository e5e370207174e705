package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.AliasInfo;
import io.forwardloop.registry.Lineage;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.client.RegistryClient;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Publishes candidates to the model registry as ONNX Runtime adapter files ({@code .onnx_adapter})
 * with their holdout metrics, hyperparameters and lineage, and moves aliases there.
 *
 * <p>An {@code .onnx_adapter} file holds the weights but not the shape of the adapter, so the
 * published hyperparameters carry it next to the optimiser settings: {@code rank} and {@code
 * lora_scale} for a low-rank classifier; {@code hidden_sizes}, {@code label_scale} and {@code
 * goodness_threshold} for Forward-Forward. A gateway's registry source rebuilds the spec from them.
 * The registry takes scalar hyperparameters only: a list is published as its comma-separated
 * elements and a null value is left out.
 *
 * <p>The file's header has a 32-bit adapter version; it holds the candidate's step-log version,
 * saturated at {@link Integer#MAX_VALUE}. The exact 64-bit step range is in the lineage.
 */
public final class RegistryPublisher implements AdapterPublisher {
    private final RegistryClient client;

    public RegistryPublisher(RegistryClient client) {
        this.client = client;
    }

    @Override
    public long publish(Candidate candidate) {
        Map<String, Double> metrics =
                candidate.evaluation() == null ? Map.of() : candidate.evaluation().metrics();
        Lineage lineage =
                new Lineage(
                        candidate.parentVersion(),
                        candidate.stepFrom(),
                        candidate.stepTo(),
                        null,
                        null);
        return publish(
                candidate.adapterName(),
                candidate.parameters(),
                fileVersion(candidate.stepTo()),
                candidate.encoderId(),
                metrics,
                candidate.hyperparameters(),
                lineage);
    }

    /**
     * Publishes {@code params} as the next version of {@code adapterName}, its kind and labels
     * taken from the parameters' spec and the shape keys of {@link #shape} added to {@code
     * hyperparameters}; returns the version.
     *
     * @param fileVersion the adapter version written in the file's header
     */
    public long publish(
            String adapterName,
            AdapterParameters params,
            int fileVersion,
            String encoderId,
            Map<String, Double> metrics,
            Map<String, Object> hyperparameters,
            Lineage lineage) {
        byte[] artifact = OnnxAdapterFile.toBytes(params, fileVersion, 1);
        AdapterMetadata metadata =
                new AdapterMetadata(
                        params.spec().kind().name(),
                        encoderId,
                        params.spec().labels(),
                        metrics,
                        hyperparameters(hyperparameters, params.spec()),
                        lineage);
        return client.publish(adapterName, artifact, metadata).version();
    }

    /** The adapter version an adapter file's 32-bit header records for a step-log version. */
    public static int fileVersion(long stepVersion) {
        return (int) Math.max(0, Math.min(stepVersion, Integer.MAX_VALUE));
    }

    private static Map<String, Object> hyperparameters(
            Map<String, Object> given, AdapterSpec spec) {
        Map<String, Object> hyper = new LinkedHashMap<>();
        given.forEach(
                (name, value) -> {
                    Object scalar = scalar(value);
                    if (scalar != null) {
                        hyper.put(name, scalar);
                    }
                });
        hyper.putAll(shape(spec));
        return hyper;
    }

    private static Object scalar(Object value) {
        if (value == null
                || value instanceof Number
                || value instanceof String
                || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return value.toString();
    }

    /** The names of the hyperparameters that fix the shape of an adapter of {@code kind}. */
    public static List<String> shapeKeys(AdapterKind kind) {
        return kind == AdapterKind.LOW_RANK_CLASSIFIER
                ? List.of("rank", "lora_scale")
                : List.of("hidden_sizes", "label_scale", "goodness_threshold");
    }

    /** The hyperparameters that fix the shape of {@code spec}, as a registry source reads them. */
    public static Map<String, Object> shape(AdapterSpec spec) {
        Map<String, Object> shape = new LinkedHashMap<>();
        if (spec.kind() == AdapterKind.LOW_RANK_CLASSIFIER) {
            shape.put("rank", spec.rank());
            shape.put("lora_scale", (double) spec.loraScale());
        } else {
            List<String> sizes = spec.hiddenSizes().stream().map(String::valueOf).toList();
            shape.put("hidden_sizes", String.join(",", sizes));
            shape.put("label_scale", (double) spec.labelScale());
            shape.put("goodness_threshold", (double) spec.goodnessThreshold());
        }
        return shape;
    }

    @Override
    public Optional<Published> resolve(String adapterName, String alias, AdapterSpec spec) {
        return alias(adapterName, alias)
                .map(
                        info ->
                                new Published(
                                        info.version(),
                                        parameters(adapterName, info.version(), spec)));
    }

    @Override
    public Optional<VersionInfo> describe(String adapterName, String alias) {
        return alias(adapterName, alias)
                .map(info -> info(client.version(adapterName, info.version())));
    }

    @Override
    public List<VersionInfo> versions(String adapterName) {
        try {
            return client.versions(adapterName).stream().map(RegistryPublisher::info).toList();
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
    }

    @Override
    public AdapterParameters parameters(String adapterName, long version, AdapterSpec spec) {
        return OnnxAdapterFile.verify(client.artifact(adapterName, version), spec);
    }

    private Optional<AliasInfo> alias(String adapterName, String alias) {
        try {
            return Optional.of(client.alias(adapterName, alias));
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static VersionInfo info(AdapterVersion v) {
        Lineage lineage = v.lineage() == null ? Lineage.none() : v.lineage();
        return new VersionInfo(
                v.version(),
                v.kind(),
                v.encoderId(),
                v.labels(),
                v.hyperparameters(),
                lineage.parentVersion(),
                lineage.stepFrom(),
                lineage.stepTo());
    }

    @Override
    public void promote(String adapterName, String alias, long version) {
        client.promote(adapterName, alias, version);
    }

    @Override
    public boolean rollback(String adapterName, String alias) {
        try {
            client.rollback(adapterName, alias);
            return true;
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND
                    || e.reason() == RegistryException.Reason.CONFLICT) {
                return false;
            }
            throw e;
        }
    }
}
