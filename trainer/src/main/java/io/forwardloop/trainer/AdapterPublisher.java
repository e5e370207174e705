package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
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
     * @param evaluation its holdout evaluation
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

    /** Publishes a candidate and returns its published version. */
    long publish(Candidate candidate);

    /**
     * The version {@code alias} points to, with its parameters read as {@code spec}; empty when the
     * alias is unset.
     */
    Optional<Published> resolve(String adapterName, String alias, AdapterSpec spec);

    /** Points {@code alias} at {@code version}. */
    void promote(String adapterName, String alias, long version);

    /** Moves {@code alias} back to its previous version; false when there is none. */
    boolean rollback(String adapterName, String alias);
}
