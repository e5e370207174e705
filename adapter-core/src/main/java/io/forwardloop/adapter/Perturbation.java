package io.forwardloop.adapter;

import io.forwardloop.adapter.internal.Philox4x32;

/**
 * Standard normal perturbations z addressed by (seed, tensor index, element index), identical on
 * every machine and JVM.
 *
 * <p>Element {@code i} of tensor {@code t} under seed {@code s} is derived from one Philox4x32-10
 * block (Salmon et al., SC'11): key = (low 32 bits of s, high 32 bits of s), counter = (low 32 bits
 * of i/4, high 32 bits of i/4, t, 0). The block's words x0..x3 (read as unsigned) give two
 * Box–Muller pairs, each computed in IEEE double arithmetic (Java 17 is strict):
 *
 * <pre>
 *   u1 = (x[2p] + 1) * 2^-32          in (0, 1]
 *   u2 =  x[2p+1]    * 2^-32          in [0, 1)
 *   r  = StrictMath.sqrt(-2 * StrictMath.log(u1))
 *   a  = 2 * PI * u2
 *   z[4b + 2p]     = (float) (r * StrictMath.cos(a))
 *   z[4b + 2p + 1] = (float) (r * StrictMath.sin(a))
 * </pre>
 *
 * <p>{@code StrictMath} pins the results of log, sqrt, cos and sin to fdlibm bit for bit, so every
 * value is reproducible. Values are bounded: |z| is at most sqrt(-2 ln 2^-32), about 6.66.
 */
public final class Perturbation {
    private static final double TWO_POW_MINUS_32 = 0x1p-32;
    private static final double TWO_PI = 2.0 * Math.PI;
    private static final long MASK = 0xFFFFFFFFL;
    private static final int PERTURBATION_STREAM = 0;

    /** Stream used by {@link AdapterParameters#initialize(AdapterSpec, long)}. */
    static final int INITIALIZATION_STREAM = 1;

    private Perturbation() {}

    /** Returns z for one element of one tensor under one seed. */
    public static float gaussian(long seed, int tensor, long index) {
        if (index < 0) {
            throw new IllegalArgumentException("perturbation index must be >= 0, got " + index);
        }
        int[] words = new int[4];
        block(seed, tensor, PERTURBATION_STREAM, index >>> 2, words);
        return normal(words, (int) (index & 3));
    }

    /** Fills {@code out} with z for elements 0..out.length-1 of one tensor under one seed. */
    public static void fill(long seed, int tensor, float[] out) {
        fill(seed, tensor, PERTURBATION_STREAM, out);
    }

    /** Fills {@code out} from the given stream; stream 0 is {@link #fill(long, int, float[])}. */
    static void fill(long seed, int tensor, int stream, float[] out) {
        int[] words = new int[4];
        for (int start = 0; start < out.length; start += 4) {
            block(seed, tensor, stream, start >>> 2, words);
            int count = Math.min(4, out.length - start);
            for (int k = 0; k < count; k += 2) {
                // one radius and angle give both values of a pair: the same operations as
                // normal(), done once
                double radius = radius(words, k >>> 1);
                double angle = angle(words, k >>> 1);
                out[start + k] = (float) (radius * StrictMath.cos(angle));
                if (k + 1 < count) {
                    out[start + k + 1] = (float) (radius * StrictMath.sin(angle));
                }
            }
        }
    }

    private static void block(long seed, int tensor, int stream, long blockIndex, int[] words) {
        Philox4x32.block(
                (int) blockIndex,
                (int) (blockIndex >>> 32),
                tensor,
                stream,
                (int) seed,
                (int) (seed >>> 32),
                words);
    }

    private static float normal(int[] words, int position) {
        int pair = position >>> 1;
        double radius = radius(words, pair);
        double angle = angle(words, pair);
        double value = (position & 1) == 0 ? StrictMath.cos(angle) : StrictMath.sin(angle);
        return (float) (radius * value);
    }

    private static double radius(int[] words, int pair) {
        double u1 = ((words[2 * pair] & MASK) + 1L) * TWO_POW_MINUS_32;
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1));
    }

    private static double angle(int[] words, int pair) {
        double u2 = (words[2 * pair + 1] & MASK) * TWO_POW_MINUS_32;
        return TWO_PI * u2;
    }
}
