package io.forwardloop.loop.internal;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.trainer.AdapterPublisher;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes through another publisher with the adapter's shape ({@code rank} and {@code
 * lora_scale}, or {@code hidden_sizes}, {@code label_scale} and {@code goodness_threshold}) added
 * to the hyperparameters: a gateway's registry source reads the shape of an {@code .onnx_adapter}
 * file from there, and the trainer's own hyperparameters hold only the optimiser settings.
 */
public final class ShapeRecordingPublisher implements AdapterPublisher {
    private final AdapterPublisher delegate;

    public ShapeRecordingPublisher(AdapterPublisher delegate) {
        this.delegate = delegate;
    }

    @Override
    public long publish(Candidate candidate) {
        Map<String, Object> hyper = new LinkedHashMap<>(candidate.hyperparameters());
        hyper.putAll(shape(candidate.parameters().spec()));
        return delegate.publish(
                new Candidate(
                        candidate.adapterName(),
                        candidate.parameters(),
                        candidate.encoderId(),
                        candidate.evaluation(),
                        hyper,
                        candidate.parentVersion(),
                        candidate.stepFrom(),
                        candidate.stepTo()));
    }

    /** The shape keys of {@code spec}, as the gateway's registry source reads them. */
    public static Map<String, Object> shape(AdapterSpec spec) {
        Map<String, Object> shape = new LinkedHashMap<>();
        if (spec.kind() == AdapterKind.LOW_RANK_CLASSIFIER) {
            shape.put("rank", spec.rank());
            shape.put("lora_scale", (double) spec.loraScale());
        } else {
            shape.put(
                    "hidden_sizes",
                    String.join(",", spec.hiddenSizes().stream().map(String::valueOf).toList()));
            shape.put("label_scale", (double) spec.labelScale());
            shape.put("goodness_threshold", (double) spec.goodnessThreshold());
        }
        return shape;
    }

    @Override
    public Optional<Published> resolve(String adapterName, String alias, AdapterSpec spec) {
        return delegate.resolve(adapterName, alias, spec);
    }

    @Override
    public void promote(String adapterName, String alias, long version) {
        delegate.promote(adapterName, alias, version);
    }

    @Override
    public boolean rollback(String adapterName, String alias) {
        return delegate.rollback(adapterName, alias);
    }
}
