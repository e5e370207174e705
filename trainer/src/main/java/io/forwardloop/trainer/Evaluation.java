package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.ForwardForwardNetwork;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.adapter.LowRankClassifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An adapter's quality on a set of held-out examples.
 *
 * @param examples the number of examples
 * @param accuracy the share predicted right
 * @param loss mean cross-entropy; for Forward-Forward, of the softmax over total goodness
 * @param perLabel per true label: examples and correct predictions
 */
public record Evaluation(
        int examples, double accuracy, double loss, Map<String, LabelCounts> perLabel) {

    /** Examples of one true label and how many of them were predicted right. */
    public record LabelCounts(int examples, int correct) {}

    /** Evaluates {@code params} on {@code data}. */
    public static Evaluation of(AdapterParameters params, LabeledBatch data) {
        List<String> labels = params.spec().labels();
        int[] total = new int[labels.size()];
        int[] correct = new int[labels.size()];
        double loss = 0;
        Scorer scorer = scorer(params);
        for (int n = 0; n < data.size(); n++) {
            double[] scores = scorer.scores(data.activations()[n]);
            int label = data.labels()[n];
            loss += logSumExp(scores) - scores[label];
            total[label]++;
            correct[label] += argMax(scores) == label ? 1 : 0;
        }
        Map<String, LabelCounts> perLabel = new LinkedHashMap<>();
        int right = 0;
        for (int l = 0; l < labels.size(); l++) {
            perLabel.put(labels.get(l), new LabelCounts(total[l], correct[l]));
            right += correct[l];
        }
        int n = data.size();
        return new Evaluation(n, n == 0 ? 0 : right / (double) n, n == 0 ? 0 : loss / n, perLabel);
    }

    /** Metrics by name, for the registry: accuracy, loss, examples, and per-label counts. */
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", accuracy);
        metrics.put("loss", loss);
        metrics.put("examples", (double) examples);
        perLabel.forEach(
                (label, counts) -> {
                    metrics.put("examples." + label, (double) counts.examples());
                    metrics.put("correct." + label, (double) counts.correct());
                });
        return metrics;
    }

    private interface Scorer {
        double[] scores(float[] activation);
    }

    private static Scorer scorer(AdapterParameters params) {
        if (params.spec().kind() == AdapterKind.LOW_RANK_CLASSIFIER) {
            LowRankClassifier classifier = new LowRankClassifier(params);
            return h -> toDouble(classifier.logits(h));
        }
        ForwardForwardNetwork network = new ForwardForwardNetwork(params);
        return network::goodnessPerLabel;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static double logSumExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    private static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
