package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.adapter.LowRankClassifier;
import io.forwardloop.trainer.internal.LowRankGradient;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackpropReferenceTest {
    private static final AdapterSpec SPEC =
            AdapterSpec.lowRankClassifier(8, 2, List.of("a", "b", "c")).build();

    @Test
    void shouldComputeTheGradientFiniteDifferencesAgreeWith() {
        LabeledBatch data = Synthetic.blobs(12, 8, 3, 0.7, 5);
        AdapterParameters params = AdapterParameters.initialize(SPEC, 3);
        for (int t = 0; t < params.tensorCount(); t++) {
            float[] values = params.data(t);
            for (int i = 0; i < values.length; i++) {
                values[i] += 0.3f * (float) Math.sin(7 * i + t);
            }
        }
        LowRankGradient gradient = new LowRankGradient(SPEC);
        double[][] grad = gradient.newBuffers();
        int[] rows = new int[data.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        gradient.accumulate(params, data.activations(), data.labels(), rows, grad);

        LowRankClassifier classifier = new LowRankClassifier(params);
        for (int t = 0; t < params.tensorCount(); t++) {
            float[] values = params.data(t);
            for (int i = 0; i < values.length; i += 3) {
                float saved = values[i];
                values[i] = saved + 1e-2f;
                double plus = classifier.meanCrossEntropy(data);
                values[i] = saved - 1e-2f;
                double minus = classifier.meanCrossEntropy(data);
                values[i] = saved;
                double numeric = (plus - minus) / ((double) (saved + 1e-2f) - (saved - 1e-2f));
                assertThat(grad[t][i])
                        .as("tensor %d index %d", t, i)
                        .isCloseTo(numeric, within(2e-3));
            }
        }
    }

    @Test
    void shouldChooseL2OnValidationAndFitSeparableData() {
        LabeledBatch train = Synthetic.blobs(240, 8, 3, 0.6, 1);
        LabeledBatch test = Synthetic.blobs(120, 8, 3, 0.6, 2);
        BackpropReference.Settings settings =
                new BackpropReference.Settings(20, 16, 1e-2, List.of(0.0, 1e-2), 0.25);

        BackpropReference.Result result =
                BackpropReference.train(SPEC, train, 7, settings, ProgressListener.NONE);

        assertThat(result.l2()).isIn(0.0, 1e-2);
        assertThat(new LowRankClassifier(result.parameters()).accuracy(test)).isGreaterThan(0.9);
        assertThat(result.steps()).isEqualTo(20L * 15);
    }

    @Test
    void shouldBeDeterministicForASeed() {
        LabeledBatch train = Synthetic.blobs(60, 8, 3, 0.6, 1);
        BackpropReference.Settings settings =
                new BackpropReference.Settings(3, 16, 1e-2, List.of(0.0, 1e-3), 0.25);

        String first =
                BackpropReference.train(SPEC, train, 7, settings, ProgressListener.NONE)
                        .parameters()
                        .digest();
        String second =
                BackpropReference.train(SPEC, train, 7, settings, ProgressListener.NONE)
                        .parameters()
                        .digest();

        assertThat(first).isEqualTo(second);
    }
}
