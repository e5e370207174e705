package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.trainer.internal.Publishing;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublishingTest {
    private static final AdapterSpec SPEC =
            AdapterSpec.lowRankClassifier(8, 1, List.of("a", "b")).build();
    private static final LabeledBatch WINDOW = Synthetic.blobs(100, 8, 2, 0.5, 1);

    /** A classifier that always answers {@code label} (accuracy 0.5 on the balanced window). */
    private static AdapterParameters constant(int label) {
        AdapterParameters params = AdapterParameters.zeros(SPEC);
        params.data(AdapterSpec.CLASSIFIER_BIAS)[label] = 1f;
        return params;
    }

    /** A classifier fitted to the window's labels (accuracy near 1). */
    private static AdapterParameters good() {
        return BackpropReference.train(
                        SPEC,
                        WINDOW,
                        1,
                        new BackpropReference.Settings(10, 16, 1e-2, List.of(0.0), 0.2),
                        ProgressListener.NONE)
                .parameters();
    }

    private static Evaluation evaluation(double accuracy) {
        return new Evaluation(10, accuracy, 0.5, Map.of());
    }

    @Test
    void shouldPromoteWithinToleranceOnly() {
        PromotionPolicy policy = new PromotionPolicy(0.02, 0.6);

        assertThat(policy.shouldPromote(evaluation(0.65), Optional.empty())).isTrue();
        assertThat(policy.shouldPromote(evaluation(0.89), Optional.of(evaluation(0.90)))).isTrue();
        assertThat(policy.shouldPromote(evaluation(0.87), Optional.of(evaluation(0.90)))).isFalse();
        assertThat(policy.shouldRollBack(evaluation(0.59))).isTrue();
        assertThat(policy.shouldRollBack(evaluation(0.61))).isFalse();
    }

    @Test
    void shouldNeverPromoteACandidateTheRollbackThresholdWouldRollBack() {
        PromotionPolicy policy = new PromotionPolicy(0.05, 0.6);

        assertThat(policy.shouldPromote(evaluation(0.59), Optional.empty())).isFalse();
        assertThat(policy.shouldPromote(evaluation(0.59), Optional.of(evaluation(0.40)))).isFalse();
        assertThat(policy.shouldPromote(evaluation(0.60), Optional.empty())).isTrue();
        assertThat(policy.shouldRollBack(evaluation(0.60))).isFalse();
    }

    @Test
    void shouldPublishButNotPromoteAPoorCandidateWhenNothingServes() {
        InMemoryPublisher registry = new InMemoryPublisher();
        Publishing publishing =
                new Publishing(registry, new PromotionPolicy(0.01, 0.7), "s", "prod", "bge");

        publishing.round(constant(0), 10, WINDOW, true, Map.of());
        publishing.round(constant(0), 20, WINDOW, true, Map.of());

        assertThat(registry.published).hasSize(2);
        assertThat(registry.serving("s", "prod")).isEmpty();
        assertThat(publishing.promotions()).isZero();
        assertThat(publishing.rollbacks()).isZero();
    }

    @Test
    void shouldReplaceAPoorServingVersionThatHasNothingToRollBackTo() {
        InMemoryPublisher registry = new InMemoryPublisher();
        new Publishing(registry, new PromotionPolicy(0.01, 0.0), "s", "prod", "bge")
                .round(constant(1), 10, WINDOW, true, Map.of());
        Publishing guarded =
                new Publishing(registry, new PromotionPolicy(0.01, 0.7), "s", "prod", "bge");

        guarded.round(good(), 20, WINDOW, true, Map.of());

        assertThat(registry.published).hasSize(2);
        assertThat(registry.serving("s", "prod")).contains(2L);
        assertThat(guarded.rollbacks()).isZero();
        assertThat(guarded.promotions()).isEqualTo(1);
    }

    @Test
    void shouldPublishAndPromoteTheBaseAsStepZeroAndContinueFromIt() {
        InMemoryPublisher registry = new InMemoryPublisher();
        Publishing publishing =
                new Publishing(registry, new PromotionPolicy(0.01, 0.0), "s", "prod", "bge");

        long base = publishing.publishBase(constant(0), Map.of("trainer.method", "zo"));
        publishing.round(good(), 40, WINDOW, true, Map.of());

        AdapterPublisher.Candidate first = registry.published.get(0);
        AdapterPublisher.Candidate next = registry.published.get(1);
        assertThat(base).isEqualTo(1);
        assertThat(first.evaluation()).isNull();
        assertThat(first.parentVersion()).isNull();
        assertThat(first.stepFrom()).isZero();
        assertThat(first.stepTo()).isZero();
        assertThat(next.parentVersion()).isEqualTo(1L);
        assertThat(next.stepFrom()).isEqualTo(1);
        assertThat(next.stepTo()).isEqualTo(40);
        assertThat(registry.serving("s", "prod")).contains(2L);
    }

    @Test
    void shouldRecoverTheNewestVersionWhoseStepsTheLogCovers() {
        InMemoryPublisher registry = new InMemoryPublisher();
        Publishing before =
                new Publishing(registry, new PromotionPolicy(0.01, 0.0), "s", "prod", "bge");
        before.round(good(), 100, WINDOW, true, Map.of());
        before.round(good(), 250, WINDOW, true, Map.of());
        before.round(good(), 400, WINDOW, true, Map.of());

        Publishing restarted =
                new Publishing(registry, new PromotionPolicy(0.01, 0.0), "s", "prod", "bge");
        Optional<Long> parent = restarted.recover(300);
        restarted.round(good(), 320, WINDOW, true, Map.of());

        AdapterPublisher.Candidate next = registry.published.get(3);
        assertThat(parent).contains(2L);
        assertThat(next.parentVersion()).isEqualTo(2L);
        assertThat(next.stepFrom()).isEqualTo(251);
        assertThat(next.stepTo()).isEqualTo(320);
    }

    @Test
    void shouldRecoverAnOfflineSeedThatServesAsTheParentOfStepOne() {
        InMemoryPublisher registry = new InMemoryPublisher();
        long seed = registry.publishOffline("s", good(), "bge");
        registry.promote("s", "prod", seed);
        Publishing restarted =
                new Publishing(registry, new PromotionPolicy(0.01, 0.0), "s", "prod", "bge");

        Optional<Long> parent = restarted.recover(50);
        restarted.round(good(), 60, WINDOW, true, Map.of());

        AdapterPublisher.Candidate next = registry.published.get(1);
        assertThat(parent).contains(seed);
        assertThat(next.parentVersion()).isEqualTo(seed);
        assertThat(next.stepFrom()).isEqualTo(1);
    }

    @Test
    void shouldRecoverNothingFromAnEmptyRegistry() {
        Publishing restarted =
                new Publishing(
                        new InMemoryPublisher(),
                        new PromotionPolicy(0.01, 0.0),
                        "s",
                        "prod",
                        "bge");

        assertThat(restarted.recover(50)).isEmpty();
        assertThat(restarted.lastPublished()).isNull();
        assertThat(restarted.lastPublishedStep()).isEqualTo(-1);
    }

    @Test
    void shouldRejectAToleranceOutsideTheUnitInterval() {
        assertThatThrownBy(() -> new PromotionPolicy(1.5, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("promotion tolerance 1.5");
    }

    @Test
    void shouldPublishWithLineageAndPromoteTheFirstCandidate() {
        InMemoryPublisher registry = new InMemoryPublisher();
        Publishing publishing =
                new Publishing(registry, new PromotionPolicy(0.01, 0.0), "s", "prod", "bge");

        publishing.round(good(), 100, WINDOW, true, Map.of("trainer.method", "zo"));
        publishing.round(good(), 250, WINDOW, true, Map.of());

        assertThat(registry.published).hasSize(2);
        AdapterPublisher.Candidate second = registry.published.get(1);
        assertThat(second.parentVersion()).isEqualTo(1L);
        assertThat(second.stepFrom()).isEqualTo(101);
        assertThat(second.stepTo()).isEqualTo(250);
        assertThat(second.evaluation().accuracy()).isGreaterThan(0.9);
        assertThat(registry.published.get(0).hyperparameters())
                .containsEntry("trainer.method", "zo");
        assertThat(registry.serving("s", "prod")).contains(2L);
    }

    @Test
    void shouldNotPromoteACandidateWorseThanServingBeyondTolerance() {
        InMemoryPublisher registry = new InMemoryPublisher();
        Publishing publishing =
                new Publishing(registry, new PromotionPolicy(0.01, 0.0), "s", "prod", "bge");

        publishing.round(good(), 10, WINDOW, true, Map.of());
        publishing.round(constant(0), 20, WINDOW, true, Map.of());

        assertThat(registry.published).hasSize(2);
        assertThat(registry.serving("s", "prod")).contains(1L);
        assertThat(publishing.promotions()).isEqualTo(1);
    }

    @Test
    void shouldRollBackServingWhenItsAccuracyFallsBelowTheThreshold() {
        InMemoryPublisher registry = new InMemoryPublisher();
        Publishing lenient =
                new Publishing(registry, new PromotionPolicy(1.0, 0.0), "s", "prod", "bge");
        lenient.round(good(), 10, WINDOW, true, Map.of());
        lenient.round(constant(1), 20, WINDOW, true, Map.of());
        assertThat(registry.serving("s", "prod")).contains(2L);

        Publishing guarded =
                new Publishing(registry, new PromotionPolicy(1.0, 0.7), "s", "prod", "bge");
        guarded.round(constant(1), 30, WINDOW, false, Map.of());

        assertThat(registry.serving("s", "prod")).contains(1L);
        assertThat(guarded.rollbacks()).isEqualTo(1);
    }
}
