package io.forwardloop.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForwardForwardNetworkTest {
    private static final List<String> LABELS = List.of("a", "b", "c");
    private static final AdapterSpec SPEC =
            AdapterSpec.forwardForward(8, LABELS, List.of(32, 32)).build();
    private static final SyntheticClusters DATA = new SyntheticClusters(3, 8, 0.35, 11L);

    @Test
    void shouldLearnASeparableProblemWellAboveChance() {
        ForwardForwardNetwork network =
                new ForwardForwardNetwork(AdapterParameters.initialize(SPEC, 5L));
        LabeledBatch train = DATA.sample(600, 1L);
        LabeledBatch test = DATA.sample(300, 2L);
        Random negatives = new Random(3L);

        double firstEpoch = epoch(network, train, negatives);
        double secondEpoch = epoch(network, train, negatives);

        assertThat(secondEpoch).isLessThan(firstEpoch);
        assertThat(network.accuracy(test)).isGreaterThan(0.85);
    }

    @Test
    void shouldUpdateOnlyTheTrainedLayer() {
        AdapterParameters params = AdapterParameters.initialize(SPEC, 5L);
        AdapterParameters before = params.copy();
        float[] activation = DATA.sample(1, 9L).activations()[0];

        new ForwardForwardNetwork(params).trainLayer(1, activation, 0, 2, 0.1);

        assertThat(params.data(AdapterSpec.ffWeight(0)))
                .isEqualTo(before.data(AdapterSpec.ffWeight(0)));
        assertThat(params.data(AdapterSpec.ffBias(0)))
                .isEqualTo(before.data(AdapterSpec.ffBias(0)));
        assertThat(params.data(AdapterSpec.ffWeight(1)))
                .isNotEqualTo(before.data(AdapterSpec.ffWeight(1)));
    }

    @Test
    void shouldRaisePositiveAndLowerNegativeGoodnessOfTheTrainedLayer() {
        ForwardForwardNetwork network =
                new ForwardForwardNetwork(AdapterParameters.initialize(SPEC, 5L));
        float[] activation = DATA.sample(1, 9L).activations()[0];
        double[] positiveBefore = network.layerGoodness(activation, 0);
        double[] negativeBefore = network.layerGoodness(activation, 1);

        network.trainLayer(0, activation, 0, 1, 0.05);

        assertThat(network.layerGoodness(activation, 0)[0]).isGreaterThan(positiveBefore[0]);
        assertThat(network.layerGoodness(activation, 1)[0]).isLessThan(negativeBefore[0]);
    }

    @Test
    void shouldKeepGoodnessFromLeakingIntoTheNextLayer() {
        AdapterParameters params = AdapterParameters.initialize(SPEC, 5L);
        float[] activation = DATA.sample(1, 9L).activations()[0];
        double[] before = new ForwardForwardNetwork(params).layerGoodness(activation, 2);

        scale(params.data(AdapterSpec.ffWeight(0)), 10f);
        scale(params.data(AdapterSpec.ffBias(0)), 10f);
        double[] after = new ForwardForwardNetwork(params).layerGoodness(activation, 2);

        assertThat(after[0]).isCloseTo(100 * before[0], within(1e-3 * before[0]));
        assertThat(after[1]).isCloseTo(before[1], within(1e-6 * before[1]));
    }

    /** One layer of width 1: W = (1, 0, 0, 1, 0), x_0 = (0.6, 0.8, 0, s=1, 0) for label 1. */
    @Test
    void shouldComputeGoodnessAndLossByHand() {
        AdapterSpec spec = AdapterSpec.forwardForward(3, List.of("x", "y"), List.of(1)).build();
        AdapterParameters params =
                AdapterParameters.of(
                        spec, List.of(new float[] {1, 0, 0, 0, 1}, new float[] {0.5f}));
        ForwardForwardNetwork network = new ForwardForwardNetwork(params);
        float[] h = {3, 4, 0};
        // label 0: a = relu(0.6 + 0 + 0.5) = 1.1; label 1: a = relu(0.6 + 1 + 0.5) = 2.1
        assertThat(network.layerGoodness(h, 0)[0]).isCloseTo(1.21, within(1e-5));
        assertThat(network.layerGoodness(h, 1)[0]).isCloseTo(4.41, within(1e-5));
        assertThat(network.predict(h)).isOne();
        assertThat(network.hardestNegative(h, 1)).isZero();
        assertThat(ForwardForwardNetwork.layerLoss(4.41, 2.0, true))
                .isCloseTo(Math.log1p(Math.exp(2.0 - 4.41)), within(1e-12));
        assertThat(ForwardForwardNetwork.layerLoss(4.41, 2.0, false))
                .isCloseTo(Math.log1p(Math.exp(4.41 - 2.0)), within(1e-12));
    }

    @Test
    void shouldTrainDeterministically() {
        AdapterParameters first = AdapterParameters.initialize(SPEC, 5L);
        AdapterParameters second = AdapterParameters.initialize(SPEC, 5L);
        LabeledBatch train = DATA.sample(50, 1L);
        epoch(new ForwardForwardNetwork(first), train, new Random(1L));
        epoch(new ForwardForwardNetwork(second), train, new Random(1L));
        assertThat(second.digest()).isEqualTo(first.digest());
    }

    @Test
    void shouldRejectBadLayerLabelAndKind() {
        ForwardForwardNetwork network = new ForwardForwardNetwork(AdapterParameters.zeros(SPEC));
        assertThatThrownBy(() -> network.trainLayer(2, new float[8], 0, 1, 0.1))
                .hasMessageContaining("layer 2 is outside [0, 2)");
        assertThatThrownBy(() -> network.train(new float[8], 0, 3, 0.1))
                .hasMessageContaining("label index 3 is outside [0, 3)");
        assertThatThrownBy(() -> network.predict(new float[7]))
                .hasMessageContaining("activation has width 7");
        AdapterSpec lowRank = AdapterSpec.lowRankClassifier(8, 1, LABELS).build();
        assertThatThrownBy(() -> new ForwardForwardNetwork(AdapterParameters.zeros(lowRank)))
                .hasMessageContaining("got LOW_RANK_CLASSIFIER");
    }

    /** Trains one pass over the data, negatives drawn uniformly from the wrong labels. */
    private static double epoch(ForwardForwardNetwork network, LabeledBatch data, Random random) {
        double loss = 0;
        for (int n = 0; n < data.size(); n++) {
            int label = data.labels()[n];
            int negative = (label + 1 + random.nextInt(LABELS.size() - 1)) % LABELS.size();
            loss += network.train(data.activations()[n], label, negative, 0.03);
        }
        return loss / data.size();
    }

    private static void scale(float[] values, float factor) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
    }
}
