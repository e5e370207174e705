package io.forwardloop.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZerothOrderTest {
    private static final AdapterSpec SPEC =
            AdapterSpec.lowRankClassifier(8, 2, List.of("a", "b", "c")).build();
    private static final SyntheticClusters DATA = new SyntheticClusters(3, 8, 0.35, 11L);
    private static final LabeledBatch TRAIN = DATA.sample(600, 1L);
    private static final LabeledBatch TEST = DATA.sample(300, 2L);
    private static final double EPSILON = 1e-3;
    private static final double LEARNING_RATE = 0.02;
    private static final int STEPS = 1500;

    @Test
    void shouldRestoreParametersBitForBitAfterAPerturbationPair() {
        AdapterParameters params = randomParameters(5L);
        String before = params.digest();
        for (long seed = 0; seed < 20; seed++) {
            ZerothOrder.perturbationPair(params, TRAIN, seed, 0.1);
        }
        assertThat(params.digest()).isEqualTo(before);
    }

    @Test
    void shouldNotBeExactWhenUndoingThePerturbationByFloatAddition() {
        AdapterParameters params = randomParameters(5L);
        float[] values = params.data(0).clone();
        float[] z = new float[values.length];
        Perturbation.fill(3L, 0, z);
        int drifted = 0;
        for (int i = 0; i < values.length; i++) {
            float plus = (float) (values[i] + 1e-3 * z[i]);
            float minus = (float) (plus - 2e-3 * z[i]);
            drifted += (float) (minus + 1e-3 * z[i]) != values[i] ? 1 : 0;
        }
        assertThat(drifted).as("elements that a naive undo would change").isPositive();
    }

    @Test
    void shouldRestoreParametersWhenTheLossThrows() {
        AdapterParameters params = randomParameters(5L);
        String before = params.digest();
        AdapterLoss failing =
                p -> {
                    throw new IllegalStateException("loss failed");
                };
        assertThatThrownBy(() -> ZerothOrder.perturbationPair(params, 1L, 0.1, failing))
                .hasMessageContaining("loss failed");
        assertThat(params.digest()).isEqualTo(before);
    }

    @Test
    void shouldMeasureTheDirectionalDerivative() {
        AdapterParameters params = randomParameters(9L);
        AdapterLoss squaredNorm = ZerothOrderTest::squaredNorm;
        PerturbationPair pair = ZerothOrder.perturbationPair(params, 4L, 1e-3, squaredNorm);
        double expected = 0;
        for (int t = 0; t < params.tensorCount(); t++) {
            float[] z = new float[params.data(t).length];
            Perturbation.fill(4L, t, z);
            for (int i = 0; i < z.length; i++) {
                expected += 2.0 * params.data(t)[i] * z[i];
            }
        }
        assertThat(pair.projectedGradient()).isCloseTo(expected, within(1e-3 * Math.abs(expected)));
    }

    @Test
    void shouldReduceLossAndRaiseAccuracyAlongTheDescentDirection() {
        AdapterParameters params = AdapterParameters.initialize(SPEC, 3L);
        LowRankClassifier classifier = new LowRankClassifier(params);
        double initialLoss = classifier.meanCrossEntropy(TEST);

        train(params, 1.0);

        assertThat(classifier.meanCrossEntropy(TEST)).isLessThan(0.5 * initialLoss);
        assertThat(classifier.accuracy(TEST)).isGreaterThan(0.9);
    }

    @Test
    void shouldIncreaseLossWhenTheStepSignIsFlipped() {
        AdapterParameters params = AdapterParameters.initialize(SPEC, 3L);
        LowRankClassifier classifier = new LowRankClassifier(params);
        double initialLoss = classifier.meanCrossEntropy(TEST);

        train(params, -1.0);

        assertThat(classifier.meanCrossEntropy(TEST)).isGreaterThan(initialLoss);
    }

    @Test
    void shouldRebuildTheSameBitsFromTheStepLog() {
        AdapterParameters base = AdapterParameters.initialize(SPEC, 3L);
        AdapterParameters trained = base.copy();
        List<ZerothOrderStep> log = train(trained, 1.0);
        AdapterParameters again = base.copy();
        List<ZerothOrderStep> secondLog = train(again, 1.0);

        assertThat(secondLog).isEqualTo(log);
        assertThat(again.toBytes()).isEqualTo(trained.toBytes());
        assertThat(ZerothOrder.replay(base, log).digest()).isEqualTo(trained.digest());
        assertThat(base.digest()).isEqualTo(AdapterParameters.initialize(SPEC, 3L).digest());
    }

    @Test
    void shouldRejectNonPositiveEpsilonAndNonFiniteGradient() {
        AdapterParameters params = randomParameters(1L);
        assertThatThrownBy(() -> ZerothOrder.perturbationPair(params, TRAIN, 1L, 0.0))
                .hasMessageContaining("epsilon must be finite and > 0, got 0.0");
        assertThatThrownBy(() -> ZerothOrder.applyStep(params, 1L, Double.NaN, 0.1))
                .hasMessageContaining("non-finite projected gradient NaN");
    }

    /** MeZO: one perturbation pair per mini-batch, then theta -= sign * eta * g * z. */
    private static List<ZerothOrderStep> train(AdapterParameters params, double sign) {
        List<ZerothOrderStep> log = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            LabeledBatch batch = slice(TRAIN, (step * 32) % (TRAIN.size() - 32), 32);
            long seed = 1_000_003L * step + 17;
            double g =
                    ZerothOrder.perturbationPair(params, batch, seed, EPSILON).projectedGradient();
            ZerothOrderStep logged = new ZerothOrderStep(seed, sign * g, LEARNING_RATE);
            ZerothOrder.applyStep(params, logged);
            log.add(logged);
        }
        return log;
    }

    private static LabeledBatch slice(LabeledBatch batch, int from, int size) {
        float[][] activations = new float[size][];
        int[] labels = new int[size];
        System.arraycopy(batch.activations(), from, activations, 0, size);
        System.arraycopy(batch.labels(), from, labels, 0, size);
        return new LabeledBatch(activations, labels);
    }

    static AdapterParameters randomParameters(long seed) {
        AdapterParameters params = AdapterParameters.zeros(SPEC);
        for (int t = 0; t < params.tensorCount(); t++) {
            Perturbation.fill(seed, t, params.data(t));
        }
        return params;
    }

    private static double squaredNorm(AdapterParameters params) {
        double sum = 0;
        for (int t = 0; t < params.tensorCount(); t++) {
            for (float v : params.data(t)) {
                sum += (double) v * v;
            }
        }
        return sum;
    }
}
