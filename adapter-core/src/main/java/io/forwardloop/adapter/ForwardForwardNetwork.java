package io.forwardloop.adapter;

import io.forwardloop.adapter.internal.Vectors;

/**
 * A Forward-Forward network (Hinton 2022) over the recycled activation: every layer learns from its
 * own goodness objective, and no gradient crosses layers.
 *
 * <p>For activation h and candidate label y, with unit-length normalisation {@code n(v) = v /
 * (||v|| + 1e-6)}, label scale s and threshold theta from the spec:
 *
 * <pre>
 *   x_0     = [ n(h) ; s * onehot(y) ]
 *   a_k     = relu(W_k x_k + b_k)            W_k = ff_weight_k, b_k = ff_bias_k
 *   G_k     = sum_i a_k[i]^2                 the goodness of layer k
 *   x_{k+1} = n(a_k)                         only the direction reaches the next layer
 * </pre>
 *
 * A layer's loss is softplus(theta - G_k) on a positive example (true label) and softplus(G_k -
 * theta) on a negative one (wrong label); its update is plain gradient descent on that loss with
 * x_k held fixed. Prediction is the label with the highest total goodness sum_k G_k. Arithmetic is
 * double with StrictMath, parameters are rounded to float after each update, so training is
 * deterministic. Reads and updates the parameters in place.
 */
public final class ForwardForwardNetwork {
    /** Added to a norm before dividing by it. */
    public static final double NORM_EPSILON = 1e-6;

    private final AdapterParameters params;
    private final AdapterSpec spec;
    private final int layers;

    /** Wraps parameters of kind {@link AdapterKind#FORWARD_FORWARD}. */
    public ForwardForwardNetwork(AdapterParameters params) {
        if (params.spec().kind() != AdapterKind.FORWARD_FORWARD) {
            throw new IllegalArgumentException(
                    "ForwardForwardNetwork needs FORWARD_FORWARD parameters, got "
                            + params.spec().kind());
        }
        this.params = params;
        this.spec = params.spec();
        this.layers = spec.hiddenSizes().size();
    }

    public AdapterParameters parameters() {
        return params;
    }

    /** The number of layers. */
    public int layerCount() {
        return layers;
    }

    /** The goodness G_k of every layer for the activation paired with {@code label}. */
    public double[] layerGoodness(float[] activation, int label) {
        Pass pass = forward(activation, label);
        double[] goodness = new double[layers];
        for (int k = 0; k < layers; k++) {
            goodness[k] = squaredNorm(pass.outputs[k]);
        }
        return goodness;
    }

    /** The total goodness sum_k G_k for every label, in label order. */
    public double[] goodnessPerLabel(float[] activation) {
        double[] totals = new double[spec.labelCount()];
        for (int label = 0; label < totals.length; label++) {
            for (double g : layerGoodness(activation, label)) {
                totals[label] += g;
            }
        }
        return totals;
    }

    /** The label with the highest total goodness (the first on ties). */
    public int predict(float[] activation) {
        return Vectors.argMax(goodnessPerLabel(activation));
    }

    /** The share of the batch whose predicted label equals its label. */
    public double accuracy(LabeledBatch batch) {
        int correct = 0;
        for (int n = 0; n < batch.size(); n++) {
            correct += predict(batch.activations()[n]) == batch.labels()[n] ? 1 : 0;
        }
        return correct / (double) batch.size();
    }

    /** The wrong label with the highest total goodness: a hard negative for {@code label}. */
    public int hardestNegative(float[] activation, int label) {
        double[] totals = goodnessPerLabel(activation);
        totals[checkedLabel(label)] = Double.NEGATIVE_INFINITY;
        return Vectors.argMax(totals);
    }

    /**
     * Updates every layer once on a positive and a negative example; each layer's input is taken
     * from the pass before any update. Returns the summed layer losses before the update.
     */
    public double train(
            float[] activation, int positiveLabel, int negativeLabel, double learningRate) {
        Pass positive = forward(activation, checkedLabel(positiveLabel));
        Pass negative = forward(activation, checkedLabel(negativeLabel));
        double loss = 0;
        for (int k = 0; k < layers; k++) {
            loss += updateLayer(k, positive, negative, learningRate);
        }
        return loss;
    }

    /**
     * Updates layer {@code layer} alone on a positive and a negative example; the other layers'
     * parameters are not touched. Returns the layer's loss before the update.
     */
    public double trainLayer(
            int layer,
            float[] activation,
            int positiveLabel,
            int negativeLabel,
            double learningRate) {
        if (layer < 0 || layer >= layers) {
            throw new IllegalArgumentException(
                    "layer " + layer + " is outside [0, " + layers + ")");
        }
        Pass positive = forward(activation, checkedLabel(positiveLabel));
        Pass negative = forward(activation, checkedLabel(negativeLabel));
        return updateLayer(layer, positive, negative, learningRate);
    }

    /** The layer loss softplus(sign * (theta - G)), sign +1 for positive, -1 for negative. */
    public static double layerLoss(double goodness, double threshold, boolean positive) {
        return softplus(positive ? threshold - goodness : goodness - threshold);
    }

    private double updateLayer(int k, Pass positive, Pass negative, double learningRate) {
        double threshold = spec.goodnessThreshold();
        double gPos = squaredNorm(positive.outputs[k]);
        double gNeg = squaredNorm(negative.outputs[k]);
        // d/dG softplus(theta - G) = -sigmoid(theta - G); d/dG softplus(G - theta) = sigmoid(...)
        double dPos = -sigmoid(threshold - gPos);
        double dNeg = sigmoid(gNeg - threshold);
        float[] weight = params.data(AdapterSpec.ffWeight(k));
        float[] bias = params.data(AdapterSpec.ffBias(k));
        int width = spec.ffInputWidth(k);
        for (int i = 0; i < bias.length; i++) {
            // dG/da_i = 2 a_i, and a_i > 0 exactly where relu passes the gradient
            double cPos = 2 * dPos * positive.outputs[k][i];
            double cNeg = 2 * dNeg * negative.outputs[k][i];
            bias[i] = (float) (bias[i] - learningRate * (cPos + cNeg));
            for (int j = 0; j < width; j++) {
                double grad = cPos * positive.inputs[k][j] + cNeg * negative.inputs[k][j];
                weight[i * width + j] = (float) (weight[i * width + j] - learningRate * grad);
            }
        }
        return layerLoss(gPos, threshold, true) + layerLoss(gNeg, threshold, false);
    }

    private Pass forward(float[] activation, int label) {
        if (activation.length != spec.inputDim()) {
            throw new IllegalArgumentException(
                    "activation has width "
                            + activation.length
                            + "; the adapter reads width "
                            + spec.inputDim());
        }
        Pass pass = new Pass(layers);
        double[] x = firstInput(activation, label);
        for (int k = 0; k < layers; k++) {
            pass.inputs[k] = x;
            pass.outputs[k] = layerOutput(k, x);
            x = normalised(pass.outputs[k]);
        }
        return pass;
    }

    private double[] firstInput(float[] activation, int label) {
        double[] h = new double[activation.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = activation[i];
        }
        double[] x = new double[spec.ffInputWidth(0)];
        System.arraycopy(normalised(h), 0, x, 0, h.length);
        x[h.length + label] = spec.labelScale();
        return x;
    }

    private double[] layerOutput(int k, double[] x) {
        int width = spec.hiddenSizes().get(k);
        double[] out = Vectors.matVec(params.data(AdapterSpec.ffWeight(k)), width, x.length, x);
        float[] bias = params.data(AdapterSpec.ffBias(k));
        for (int i = 0; i < width; i++) {
            out[i] = Math.max(0.0, out[i] + bias[i]);
        }
        return out;
    }

    private int checkedLabel(int label) {
        if (label < 0 || label >= spec.labelCount()) {
            throw new IllegalArgumentException(
                    "label index " + label + " is outside [0, " + spec.labelCount() + ")");
        }
        return label;
    }

    private static double[] normalised(double[] v) {
        double scale = 1.0 / (Vectors.norm(v) + NORM_EPSILON);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * scale;
        }
        return out;
    }

    private static double squaredNorm(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        return sum;
    }

    private static double softplus(double u) {
        return u > 0
                ? u + StrictMath.log1p(StrictMath.exp(-u))
                : StrictMath.log1p(StrictMath.exp(u));
    }

    private static double sigmoid(double u) {
        return 1.0 / (1.0 + StrictMath.exp(-u));
    }

    /** The inputs x_k and outputs a_k of every layer for one (activation, label). */
    private static final class Pass {
        final double[][] inputs;
        final double[][] outputs;

        Pass(int layers) {
            inputs = new double[layers][];
            outputs = new double[layers][];
        }
    }
}
