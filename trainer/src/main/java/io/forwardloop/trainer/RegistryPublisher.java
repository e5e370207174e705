package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.AliasInfo;
import io.forwardloop.registry.Lineage;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.client.RegistryClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes candidates to the model registry as ONNX Runtime adapter files ({@code .onnx_adapter})
 * with their holdout metrics, hyperparameters and lineage, and moves aliases there.
 *
 * <p>An {@code .onnx_adapter} file holds the weights but not the shape of the adapter, so the
 * published hyperparameters carry it next to the optimiser settings: {@code rank} and {@code
 * lora_scale} for a low-rank classifier; {@code hidden_sizes}, {@code label_scale} and {@code
 * goodness_threshold} for Forward-Forward. A gateway's registry source rebuilds the spec from them.
 */
public final class RegistryPublisher implements AdapterPublisher {
    private final RegistryClient client;

    public RegistryPublisher(RegistryClient client) {
        this.client = client;
    }

    @Override
    public long publish(Candidate candidate) {
        AdapterParameters params = candidate.parameters();
        byte[] artifact = OnnxAdapterFile.toBytes(params, (int) candidate.stepTo(), 1);
        AdapterMetadata metadata =
                new AdapterMetadata(
                        params.spec().kind().name(),
                        candidate.encoderId(),
                        params.spec().labels(),
                        candidate.evaluation().metrics(),
                        hyperparameters(candidate),
                        new Lineage(
                                candidate.parentVersion(),
                                candidate.stepFrom(),
                                candidate.stepTo(),
                                null,
                                null));
        return client.publish(candidate.adapterName(), artifact, metadata).version();
    }

    private static Map<String, Object> hyperparameters(Candidate candidate) {
        Map<String, Object> hyper = new LinkedHashMap<>(candidate.hyperparameters());
        hyper.putAll(shape(candidate.parameters().spec()));
        return hyper;
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
        AliasInfo info;
        try {
            info = client.alias(adapterName, alias);
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        byte[] artifact = client.artifact(adapterName, info.version());
        return Optional.of(new Published(info.version(), OnnxAdapterFile.verify(artifact, spec)));
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
