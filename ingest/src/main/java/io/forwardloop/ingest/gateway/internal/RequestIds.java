package io.forwardloop.ingest.gateway.internal;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Request ids: time-ordered UUIDs (version 7, RFC 9562) whose first 48 bits are the issue time in
 * milliseconds, so that feedback for an id no longer held can be told apart from feedback for an id
 * that never existed.
 */
public final class RequestIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {}

    /** A new id issued at {@code nowMs}. */
    public static String next(long nowMs) {
        long high = (nowMs << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /** The issue time of a version-7 id, or -1 if {@code id} is not one. */
    public static long issuedAtMs(String id) {
        try {
            UUID uuid = UUID.fromString(id);
            return uuid.version() == 7 ? uuid.getMostSignificantBits() >>> 16 : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
