package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the trainer publishes candidate versions and moves the serving alias: the model registry in
 * production ({@link RegistryPublisher}), an in-memory one in tests.
 */
public interface AdapterPublisher {

    /**
     * A candidate to publish.
     *
     * @param adapterName the adapter
     * @param parameters the candidate's parameters
     * @param encoderId the encoder whose activation it reads
     * @param evaluation its holdout evaluation; null when none was measured (the untrained base a
     *     cold start publishes)
     * @param hyperparameters the optimiser settings that made it
     * @param parentVersion the published version it was trained from; null for the first
     * @param stepFrom the first step-log version applied since the parent
     * @param stepTo the step-log version of the candidate
     */
    record Candidate(
            String adapterName,
            AdapterParameters parameters,
            String encoderId,
            Evaluation evaluation,
            Map<String, Object> hyperparameters,
            Long parentVersion,
            long stepFrom,
            long stepTo) {}

    /** A published version and its parameters. */
    record Published(long version, AdapterParameters parameters) {}

    /**
     * What the registry records about a published version: what a spec is checked against, and the
     * lineage a trainer continues.
     *
     * @param version the version
     * @param kind the adapter kind, such as {@code LOW_RANK_CLASSIFIER}
     * @param encoderId the encoder whose activation it reads
     * @param labels the label set, in output order
     * @param hyperparameters its hyperparameters, the shape keys of {@link RegistryPublisher#shape}
     *     among them
     * @param parentVersion the version it was trained from, or null
     * @param stepFrom the first step-log version it covers, or null when it covers none (a version
     *     trained offline)
     * @param stepTo the last step-log version it covers, or null
     */
    record VersionInfo(
            long version,
            String kind,
            String encoderId,
            List<String> labels,
            Map<String, Object> hyperparameters,
            Long parentVersion,
            Long stepFrom,
            Long stepTo) {
        /** Copies the collections. */
        public VersionInfo {
            labels = List.copyOf(labels);
            hyperparameters = Map.copyOf(hyperparameters);
        }

        /** Whether the version records a range of the step log. */
        public boolean hasSteps() {
            return stepFrom != null && stepTo != null;
        }
    }

    /** Publishes a candidate and returns its published version. */
    long publish(Candidate candidate);

    /**
     * The version {@code alias} points to, with its parameters read as {@code spec}; empty when the
     * alias is unset.
     */
    Optional<Published> resolve(String adapterName, String alias, AdapterSpec spec);

    /** The version {@code alias} points to, with its metadata; empty when the alias is unset. */
    Optional<VersionInfo> describe(String adapterName, String alias);

    /** Every version of {@code adapterName}, oldest first; empty when it has none. */
    List<VersionInfo> versions(String adapterName);

    /**
     * The parameters of {@code version}, read as {@code spec}.
     *
     * @throws io.forwardloop.adapter.AdapterFormatException when its artifact does not fit {@code
     *     spec}
     */
    AdapterParameters parameters(String adapterName, long version, AdapterSpec spec);

    /** Points {@code alias} at {@code version}. */
    void promote(String adapterName, String alias, long version);

    /** Moves {@code alias} back to its previous version; false when there is none. */
    boolean rollback(String adapterName, String alias);
}
