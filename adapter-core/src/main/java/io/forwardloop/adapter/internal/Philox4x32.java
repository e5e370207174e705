package io.forwardloop.adapter.internal;

/**
 * Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3" (SC'11).
 *
 * <p>A pure function of a 128-bit counter and a 64-bit key: the same inputs give the same four
 * 32-bit words on every machine. Ten rounds of two 32x32-bit multiplications, the key bumped by the
 * Weyl constants between rounds.
 */
public final class Philox4x32 {
    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final int ROUNDS = 10;
    private static final long MASK = 0xFFFFFFFFL;

    private Philox4x32() {}

    /**
     * Encrypts one counter block.
     *
     * @param counter four 32-bit counter words (read, not modified)
     * @param key0 first key word
     * @param key1 second key word
     * @param out receives the four output words
     */
    public static void block(int[] counter, int key0, int key1, int[] out) {
        block(counter[0], counter[1], counter[2], counter[3], key0, key1, out);
    }

    /** Encrypts the counter block (c0, c1, c2, c3) under (key0, key1) into {@code out}. */
    public static void block(int c0, int c1, int c2, int c3, int key0, int key1, int[] out) {
        int k0 = key0;
        int k1 = key1;
        for (int round = 0; round < ROUNDS; round++) {
            long p0 = M0 * (c0 & MASK);
            long p1 = M1 * (c2 & MASK);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c0 = n0;
            c1 = (int) p1;
            c2 = n2;
            c3 = (int) p0;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }
}
