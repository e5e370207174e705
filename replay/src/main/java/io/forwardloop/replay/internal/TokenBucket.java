package io.forwardloop.replay.internal;

/**
 * Paces records to a target rate: a token bucket refilled at {@code ratePerSecond} that holds at
 * most a tenth of a second of tokens (at least one), so bursts stay short.
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    /** A bucket for {@code ratePerSecond} tokens a second; 0 or less means unlimited. */
    public TokenBucket(double ratePerSecond) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = Math.max(1.0, ratePerSecond / 10);
        this.tokens = capacity;
        this.lastNanos = System.nanoTime();
    }

    /** Takes one token, sleeping until one is available. */
    public void acquire() throws InterruptedException {
        if (ratePerNano <= 0) {
            return;
        }
        refill();
        while (tokens < 1) {
            long waitNanos = (long) Math.ceil((1 - tokens) / ratePerNano);
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            refill();
        }
        tokens -= 1;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - lastNanos) * ratePerNano);
        lastNanos = now;
    }
}
