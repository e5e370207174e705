package io.forwardloop.flink.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Stable hashes of the signal job: holdout choice, shards, seeds and batch digests. */
public final class Hashing {
    private static final double TWO_TO_64 = 0x1.0p64;

    private Hashing() {}

    /** Whether the request belongs to the held-out share, the same on every run and machine. */
    public static boolean isHeldOut(String requestId, double share) {
        return unitInterval(sha256("holdout", requestId)) < share;
    }

    /** The shard in [0, shards) of a request, independent of the holdout choice. */
    public static int shardOf(String requestId, int shards) {
        return (int) Long.remainderUnsigned(firstLong(sha256("shard", requestId)), shards);
    }

    /** Lower-case hex SHA-256 over the request ids in order, each terminated by a newline. */
    public static String batchDigest(List<String> requestIds) {
        MessageDigest digest = newDigest();
        for (String id : requestIds) {
            digest.update(id.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The perturbation seed of seed number {@code index} of a mini-batch. */
    public static long seed(
            String adapter, long baseVersion, String shardKey, String batchDigest, int index) {
        return firstLong(
                sha256(
                        "seed",
                        adapter,
                        Long.toString(baseVersion),
                        shardKey,
                        batchDigest,
                        Integer.toString(index)));
    }

    /**
     * The perturbation seed of seed number {@code index} of replay mini-batch {@code replay} drawn
     * after fresh mini-batch {@code counter} of a shard; never equal to a fresh batch's seed
     * derivation, so replay signals have their own ids.
     */
    public static long replaySeed(
            String adapter,
            long baseVersion,
            String shardKey,
            String batchDigest,
            long counter,
            int replay,
            int index) {
        return firstLong(
                sha256(
                        "replay-seed",
                        adapter,
                        Long.toString(baseVersion),
                        shardKey,
                        batchDigest,
                        Long.toString(counter),
                        Integer.toString(replay),
                        Integer.toString(index)));
    }

    /**
     * Draw {@code draw} of replay mini-batch {@code replay} after fresh mini-batch {@code counter}
     * of a shard: a deterministic choice in [0, bound), the same on every run and machine.
     */
    public static int replayDraw(String shardKey, long counter, int replay, int draw, int bound) {
        long bits =
                firstLong(
                        sha256(
                                "replay-draw",
                                shardKey,
                                Long.toString(counter),
                                Integer.toString(replay),
                                Integer.toString(draw)));
        return (int) Long.remainderUnsigned(bits, bound);
    }

    /** The id of a signal: adapter, base version and seed identify it. */
    public static String signalId(String adapter, long baseVersion, long seed) {
        return adapter + "@" + baseVersion + "/" + Long.toUnsignedString(seed, 16);
    }

    /** A deterministic choice in [0, bound) for a request, for picking a wrong label. */
    public static int choice(String requestId, int bound) {
        return (int) Long.remainderUnsigned(firstLong(sha256("negative", requestId)), bound);
    }

    private static double unitInterval(byte[] hash) {
        double value = (double) (firstLong(hash) >>> 11) * 0x1.0p11;
        return value / TWO_TO_64;
    }

    private static long firstLong(byte[] hash) {
        return ByteBuffer.wrap(hash).getLong();
    }

    private static byte[] sha256(String... parts) {
        MessageDigest digest = newDigest();
        for (String part : parts) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return digest.digest();
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
