package io.forwardloop.adapter.internal;

/** Small dense linear algebra in double accumulation over row-major float matrices. */
public final class Vectors {
    private Vectors() {}

    /** {@code m * x} for a row-major {@code rows x cols} matrix and a float vector. */
    public static double[] matVec(float[] m, int rows, int cols, float[] x) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            int offset = r * cols;
            for (int c = 0; c < cols; c++) {
                sum += (double) m[offset + c] * x[c];
            }
            out[r] = sum;
        }
        return out;
    }

    /** {@code m * x} for a row-major {@code rows x cols} matrix and a double vector. */
    public static double[] matVec(float[] m, int rows, int cols, double[] x) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            int offset = r * cols;
            for (int c = 0; c < cols; c++) {
                sum += m[offset + c] * x[c];
            }
            out[r] = sum;
        }
        return out;
    }

    /** log(sum(exp(x))), computed stably. */
    public static double logSumExp(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : x) {
            sum += StrictMath.exp(v - max);
        }
        return max + StrictMath.log(sum);
    }

    /** The index of the largest value, the first on ties. */
    public static int argMax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Euclidean norm. */
    public static double norm(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v * v;
        }
        return StrictMath.sqrt(sum);
    }
}
