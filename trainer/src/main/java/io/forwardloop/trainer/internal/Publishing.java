package io.forwardloop.trainer.internal;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.trainer.AdapterPublisher;
import io.forwardloop.trainer.Evaluation;
import io.forwardloop.trainer.PromotionPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluation round: publish the candidate with its metrics and lineage, roll the serving alias
 * back when it has become too poor, otherwise promote the candidate by the policy.
 *
 * <p>Lineage: each candidate names the version published before it as its parent and covers the
 * step-log versions after that one's. A restarted trainer recovers that last version from the
 * registry ({@link #recover}); a cold start names the version it started from ({@link
 * #continueFrom}).
 */
public final class Publishing {
    private static final Logger LOG = LoggerFactory.getLogger(Publishing.class);

    private final AdapterPublisher publisher;
    private final PromotionPolicy policy;
    private final String adapter;
    private final String alias;
    private final String encoderId;
    private Long lastPublished;
    private long lastPublishedStep = -1;
    private long promotions;
    private long rollbacks;

    public Publishing(
            AdapterPublisher publisher,
            PromotionPolicy policy,
            String adapter,
            String alias,
            String encoderId) {
        this.publisher = publisher;
        this.policy = policy;
        this.adapter = adapter;
        this.alias = alias;
        this.encoderId = encoderId;
    }

    /**
     * Evaluates the candidate and the serving version on {@code window}, publishes the candidate
     * when {@code publish} and acts on the policy; returns the candidate's evaluation.
     */
    public Evaluation round(
            AdapterParameters candidate,
            long stepVersion,
            LabeledBatch window,
            boolean publish,
            Map<String, Object> hyperparameters) {
        Evaluation evaluation = Evaluation.of(candidate, window);
        Optional<AdapterPublisher.Published> serving =
                publisher.resolve(adapter, alias, candidate.spec());
        Optional<Evaluation> servingEvaluation =
                serving.map(s -> Evaluation.of(s.parameters(), window));
        if (servingEvaluation.isPresent()
                && policy.shouldRollBack(servingEvaluation.get())
                && rollBack(serving.get().version(), servingEvaluation.get())) {
            return evaluation;
        }
        if (publish && stepVersion != lastPublishedStep) {
            long version = publishCandidate(candidate, stepVersion, evaluation, hyperparameters);
            if (policy.shouldPromote(evaluation, servingEvaluation)) {
                publisher.promote(adapter, alias, version);
                promotions++;
                LOG.info(
                        "Adapter {} version {} promoted to {}: holdout accuracy {} vs serving {}",
                        adapter,
                        version,
                        alias,
                        evaluation.accuracy(),
                        servingEvaluation.map(Evaluation::accuracy).orElse(null));
            }
        }
        return evaluation;
    }

    private long publishCandidate(
            AdapterParameters candidate,
            long stepVersion,
            Evaluation evaluation,
            Map<String, Object> hyperparameters) {
        long stepFrom = lastPublishedStep + 1;
        long version =
                publisher.publish(
                        new AdapterPublisher.Candidate(
                                adapter,
                                candidate.copy(),
                                encoderId,
                                evaluation,
                                hyperparameters,
                                lastPublished,
                                stepFrom,
                                stepVersion));
        LOG.info(
                "Adapter {} published as version {} (steps {}..{}, holdout accuracy {} on {})",
                adapter,
                version,
                stepFrom,
                stepVersion,
                evaluation.accuracy(),
                evaluation.examples());
        lastPublished = version;
        lastPublishedStep = stepVersion;
        return version;
    }

    // false when there is nothing to roll back to: a good candidate may then replace the version
    private boolean rollBack(long version, Evaluation serving) {
        if (publisher.rollback(adapter, alias)) {
            rollbacks++;
            LOG.warn(
                    "Adapter {} alias {} rolled back from version {}: holdout accuracy {} is below"
                            + " the threshold {}",
                    adapter,
                    alias,
                    version,
                    serving.accuracy(),
                    policy.rollbackThreshold());
            return true;
        }
        LOG.warn(
                "Adapter {} alias {} version {} has holdout accuracy {} below {} but has no"
                        + " previous version to roll back to; a candidate at or above it will"
                        + " replace it",
                adapter,
                alias,
                version,
                serving.accuracy(),
                policy.rollbackThreshold());
        return false;
    }

    /**
     * Publishes the untrained base of a cold start as step-log version 0 and promotes it, so that
     * gateways have an adapter to serve; returns its version.
     */
    public long publishBase(AdapterParameters base, Map<String, Object> hyperparameters) {
        long version =
                publisher.publish(
                        new AdapterPublisher.Candidate(
                                adapter,
                                base.copy(),
                                encoderId,
                                null,
                                hyperparameters,
                                null,
                                0,
                                0));
        publisher.promote(adapter, alias, version);
        promotions++;
        continueFrom(version, 0);
        return version;
    }

    /**
     * Names {@code version}, which covers the step log up to {@code stepTo}, as the next parent.
     */
    public void continueFrom(long version, long stepTo) {
        lastPublished = version;
        lastPublishedStep = stepTo;
    }

    /**
     * Recovers the last published version after a restart: the newest version whose step range ends
     * at or before {@code logVersion}, the trainer's version rebuilt from the step log; else the
     * serving alias's version when it covers no steps (an adapter trained offline that the step log
     * started from). Leaves the lineage empty when neither exists.
     *
     * @return the recovered parent, or empty
     */
    public Optional<Long> recover(long logVersion) {
        List<AdapterPublisher.VersionInfo> versions = publisher.versions(adapter);
        for (int i = versions.size() - 1; i >= 0; i--) {
            AdapterPublisher.VersionInfo v = versions.get(i);
            if (v.hasSteps() && v.stepTo() <= logVersion) {
                continueFrom(v.version(), v.stepTo());
                return Optional.of(v.version());
            }
        }
        Optional<AdapterPublisher.VersionInfo> serving = publisher.describe(adapter, alias);
        if (serving.isPresent() && !serving.get().hasSteps()) {
            continueFrom(serving.get().version(), 0);
            return Optional.of(serving.get().version());
        }
        return Optional.empty();
    }

    /** The version the next candidate names as its parent, or null. */
    public Long lastPublished() {
        return lastPublished;
    }

    /** The last step-log version the parent covers; −1 before anything was published. */
    public long lastPublishedStep() {
        return lastPublishedStep;
    }

    public long promotions() {
        return promotions;
    }

    public long rollbacks() {
        return rollbacks;
    }
}
