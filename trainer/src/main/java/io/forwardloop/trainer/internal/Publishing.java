package io.forwardloop.trainer.internal;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.trainer.AdapterPublisher;
import io.forwardloop.trainer.Evaluation;
import io.forwardloop.trainer.PromotionPolicy;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluation round: publish the candidate with its metrics and lineage, roll the serving alias
 * back when it has become too poor, otherwise promote the candidate by the policy.
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
        if (servingEvaluation.isPresent() && policy.shouldRollBack(servingEvaluation.get())) {
            rollBack(serving.get().version(), servingEvaluation.get());
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

    private void rollBack(long version, Evaluation serving) {
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
        } else {
            LOG.warn(
                    "Adapter {} alias {} version {} has holdout accuracy {} below {} but has no"
                            + " previous version to roll back to",
                    adapter,
                    alias,
                    version,
                    serving.accuracy(),
                    policy.rollbackThreshold());
        }
    }

    public long promotions() {
        return promotions;
    }

    public long rollbacks() {
        return rollbacks;
    }
}
