package io.forwardloop.registry;

import java.util.List;
import java.util.Map;

/**
 * One immutable version of an adapter: its number, the SHA-256 of its artifact, and the metadata it
 * was published with.
 *
 * <p>Version numbers start at 1 per adapter and only grow. A retired version keeps its artifact and
 * metadata but can no longer be promoted.
 *
 * @param adapterName the adapter
 * @param version the version number
 * @param artifactSha256 lower-case hex SHA-256 of the artifact bytes
 * @param artifactSizeBytes the artifact's length
 * @param kind the adapter family
 * @param encoderId the encoder the adapter sits after
 * @param labels the label set
 * @param metrics holdout metrics by name
 * @param hyperparameters hyperparameters by name
 * @param lineage where the version came from
 * @param createdAtMs when it was published, milliseconds since the epoch
 * @param retiredAtMs when it was retired, or null
 */
public record AdapterVersion(
        String adapterName,
        long version,
        String artifactSha256,
        long artifactSizeBytes,
        String kind,
        String encoderId,
        List<String> labels,
        Map<String, Double> metrics,
        Map<String, Object> hyperparameters,
        Lineage lineage,
        long createdAtMs,
        Long retiredAtMs) {

    /** Copies the collections. */
    public AdapterVersion {
        labels = List.copyOf(labels);
        metrics = Map.copyOf(metrics);
        hyperparameters = Map.copyOf(hyperparameters);
    }

    /** Returns whether the version was retired. */
    public boolean retired() {
        return retiredAtMs != null;
    }
}
