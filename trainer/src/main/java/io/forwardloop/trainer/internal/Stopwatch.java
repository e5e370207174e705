package io.forwardloop.trainer.internal;

/** Wall-clock time of a run, with pauses that do not count. */
public final class Stopwatch {
    private final long started = System.nanoTime();
    private long paused;

    private Stopwatch() {}

    public static Stopwatch start() {
        return new Stopwatch();
    }

    /** Runs {@code action} without counting its time. */
    public void paused(Runnable action) {
        long from = System.nanoTime();
        action.run();
        paused += System.nanoTime() - from;
    }

    /** Seconds since the start, pauses excluded. */
    public double seconds() {
        return (System.nanoTime() - started - paused) / 1e9;
    }
}
