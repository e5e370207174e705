package io.forwardloop.registry.internal;

import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.Lineage;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of a publish request: the metadata, the artifact in base64, and optionally the
 * SHA-256 the publisher expects the artifact to have.
 */
public record PublishBody(
        String kind,
        String encoderId,
        List<String> labels,
        Map<String, Double> metrics,
        Map<String, Object> hyperparameters,
        Lineage lineage,
        String artifactSha256,
        String artifact) {

    /** Builds the body a client sends. */
    public static PublishBody of(AdapterMetadata m, String sha256, String artifactBase64) {
        return new PublishBody(
                m.kind(),
                m.encoderId(),
                m.labels(),
                m.metrics(),
                m.hyperparameters(),
                m.lineage(),
                sha256,
                artifactBase64);
    }

    /**
     * The metadata part.
     *
     * @throws io.forwardloop.registry.RegistryException when a label, metric or hyperparameter is
     *     null
     */
    public AdapterMetadata metadata() {
        Validation.noNulls("labels", labels);
        Validation.noNullValues("metrics", metrics);
        Validation.noNullValues("hyperparameters", hyperparameters);
        return new AdapterMetadata(kind, encoderId, labels, metrics, hyperparameters, lineage);
    }
}
