package io.forwardloop.adapter;

import io.forwardloop.adapter.internal.Vectors;

/**
 * The low-rank classifier adapter's forward function, evaluated in plain Java.
 *
 * <p>For an activation h of width d:
 *
 * <pre>
 *   h'     = h + s * lora_up * (lora_down * h)      lora_down [r, d], lora_up [d, r]
 *   logits = classifier_weight * h' + classifier_bias   [L, d] and [L]
 *   p      = softmax(logits)
 * </pre>
 *
 * Sums are accumulated in double, exp and log are StrictMath, logits are rounded to float once at
 * the end, so results are bit-identical on every JVM. The same function is built as an ONNX graph
 * by {@link AdapterGraphs#lowRankClassifier(AdapterSpec)}. Reads the parameters live, so an
 * in-place update is seen by the next call.
 */
public final class LowRankClassifier {
    private final AdapterParameters params;
    private final AdapterSpec spec;
    private final float[] down;
    private final float[] up;
    private final float[] weight;
    private final float[] bias;

    /** Wraps parameters of kind {@link AdapterKind#LOW_RANK_CLASSIFIER}. */
    public LowRankClassifier(AdapterParameters params) {
        if (params.spec().kind() != AdapterKind.LOW_RANK_CLASSIFIER) {
            throw new IllegalArgumentException(
                    "LowRankClassifier needs LOW_RANK_CLASSIFIER parameters, got "
                            + params.spec().kind());
        }
        this.params = params;
        this.spec = params.spec();
        this.down = params.data(AdapterSpec.LORA_DOWN);
        this.up = params.data(AdapterSpec.LORA_UP);
        this.weight = params.data(AdapterSpec.CLASSIFIER_WEIGHT);
        this.bias = params.data(AdapterSpec.CLASSIFIER_BIAS);
    }

    public AdapterParameters parameters() {
        return params;
    }

    /** The logits for one activation. */
    public float[] logits(float[] activation) {
        double[] logits = logitsInDouble(activation);
        float[] out = new float[logits.length];
        for (int l = 0; l < out.length; l++) {
            out[l] = (float) logits[l];
        }
        return out;
    }

    /** The softmax of the logits for one activation. */
    public float[] probabilities(float[] activation) {
        double[] logits = toDouble(logits(activation));
        double logSum = Vectors.logSumExp(logits);
        float[] out = new float[logits.length];
        for (int l = 0; l < out.length; l++) {
            out[l] = (float) StrictMath.exp(logits[l] - logSum);
        }
        return out;
    }

    /** The index of the highest logit (the first on ties). */
    public int predict(float[] activation) {
        return Vectors.argMax(toDouble(logits(activation)));
    }

    /** Mean over the batch of -log p(label | activation). */
    public double meanCrossEntropy(LabeledBatch batch) {
        double total = 0;
        for (int n = 0; n < batch.size(); n++) {
            double[] logits = toDouble(logits(batch.activations()[n]));
            total += Vectors.logSumExp(logits) - logits[checkedLabel(batch.labels()[n])];
        }
        return total / batch.size();
    }

    /** The share of the batch whose predicted label equals its label. */
    public double accuracy(LabeledBatch batch) {
        int correct = 0;
        for (int n = 0; n < batch.size(); n++) {
            correct += predict(batch.activations()[n]) == batch.labels()[n] ? 1 : 0;
        }
        return correct / (double) batch.size();
    }

    private double[] logitsInDouble(float[] h) {
        int d = spec.inputDim();
        if (h.length != d) {
            throw new IllegalArgumentException(
                    "activation has width " + h.length + "; the adapter reads width " + d);
        }
        double[] projected = Vectors.matVec(down, spec.rank(), d, h);
        double[] residual = Vectors.matVec(up, d, spec.rank(), projected);
        double[] adapted = new double[d];
        for (int i = 0; i < d; i++) {
            adapted[i] = h[i] + spec.loraScale() * residual[i];
        }
        double[] logits = Vectors.matVec(weight, spec.labelCount(), d, adapted);
        for (int l = 0; l < logits.length; l++) {
            logits[l] += bias[l];
        }
        return logits;
    }

    private int checkedLabel(int label) {
        if (label < 0 || label >= spec.labelCount()) {
            throw new IllegalArgumentException(
                    "label index " + label + " is outside [0, " + spec.labelCount() + ")");
        }
        return label;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
