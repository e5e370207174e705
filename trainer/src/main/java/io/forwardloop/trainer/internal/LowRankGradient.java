package io.forwardloop.trainer.internal;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;

/**
 * Exact gradients of the low-rank classifier's mean cross-entropy, by backpropagation.
 *
 * <p>For h' = h + s up (down h) and logits = W h' + b, with e = softmax(logits) - onehot(y): dW = e
 * h'^T, db = e, dh' = W^T e, d up = s dh' (down h)^T, d down = s (up^T dh') h^T, averaged over the
 * batch. Gradients are written in the parameters' tensor order, in double.
 */
public final class LowRankGradient {
    private final AdapterSpec spec;
    private final int d;
    private final int r;
    private final int labels;
    private final double[] projected;
    private final double[] adapted;
    private final double[] logits;
    private final double[] dAdapted;
    private final double[] dProjected;

    public LowRankGradient(AdapterSpec spec) {
        this.spec = spec;
        this.d = spec.inputDim();
        this.r = spec.rank();
        this.labels = spec.labelCount();
        this.projected = new double[r];
        this.adapted = new double[d];
        this.logits = new double[labels];
        this.dAdapted = new double[d];
        this.dProjected = new double[r];
    }

    /** Fresh zeroed gradient buffers, one per tensor. */
    public double[][] newBuffers() {
        double[][] out = new double[spec.tensors().size()][];
        for (int t = 0; t < out.length; t++) {
            out[t] = new double[spec.tensors().get(t).size()];
        }
        return out;
    }

    /**
     * Adds the gradient of the mean cross-entropy over {@code rows} of the data to {@code grad}
     * (zeroed first) and returns that mean loss.
     */
    public double accumulate(
            AdapterParameters params, float[][] x, int[] y, int[] rows, double[][] grad) {
        for (double[] g : grad) {
            java.util.Arrays.fill(g, 0);
        }
        double loss = 0;
        for (int row : rows) {
            loss += example(params, x[row], y[row], grad);
        }
        double scale = 1.0 / rows.length;
        for (double[] g : grad) {
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
            }
        }
        return loss * scale;
    }

    private double example(AdapterParameters params, float[] h, int label, double[][] grad) {
        float[] down = params.data(0);
        float[] up = params.data(1);
        float[] weight = params.data(2);
        float[] bias = params.data(3);
        double s = spec.loraScale();
        forward(h, down, up, weight, bias, s);
        double loss = softmaxInPlace(label);
        logits[label] -= 1.0; // logits now holds e = p - onehot
        backward(h, down, up, weight, s, grad);
        return loss;
    }

    private void forward(float[] h, float[] down, float[] up, float[] w, float[] b, double s) {
        for (int k = 0; k < r; k++) {
            double sum = 0;
            int base = k * d;
            for (int i = 0; i < d; i++) {
                sum += down[base + i] * (double) h[i];
            }
            projected[k] = sum;
        }
        for (int i = 0; i < d; i++) {
            double sum = 0;
            for (int k = 0; k < r; k++) {
                sum += up[i * r + k] * projected[k];
            }
            adapted[i] = h[i] + s * sum;
        }
        for (int l = 0; l < labels; l++) {
            double sum = b[l];
            int base = l * d;
            for (int i = 0; i < d; i++) {
                sum += w[base + i] * adapted[i];
            }
            logits[l] = sum;
        }
    }

    private double softmaxInPlace(int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double total = 0;
        for (int l = 0; l < labels; l++) {
            logits[l] = Math.exp(logits[l] - max);
            total += logits[l];
        }
        double loss = -Math.log(logits[label] / total);
        for (int l = 0; l < labels; l++) {
            logits[l] /= total;
        }
        return loss;
    }

    private void backward(
            float[] h, float[] down, float[] up, float[] w, double s, double[][] grad) {
        java.util.Arrays.fill(dAdapted, 0);
        for (int l = 0; l < labels; l++) {
            double e = logits[l];
            int base = l * d;
            grad[3][l] += e;
            for (int i = 0; i < d; i++) {
                grad[2][base + i] += e * adapted[i];
                dAdapted[i] += e * w[base + i];
            }
        }
        java.util.Arrays.fill(dProjected, 0);
        for (int i = 0; i < d; i++) {
            double g = s * dAdapted[i];
            for (int k = 0; k < r; k++) {
                grad[1][i * r + k] += g * projected[k];
                dProjected[k] += g * up[i * r + k];
            }
        }
        for (int k = 0; k < r; k++) {
            int base = k * d;
            for (int i = 0; i < d; i++) {
                grad[0][base + i] += dProjected[k] * h[i];
            }
        }
    }
}
