package io.forwardloop.cli.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the end of a run: a fixed time, or Ctrl-C (any JVM shutdown).
 *
 * <p>On shutdown the hook wakes the waiting command and holds the JVM until the command has stopped
 * its services and closed this signal, or {@link #SHUTDOWN_GRACE} has passed.
 */
public final class StopSignal implements AutoCloseable {
    /** How long a shutdown waits for the services to stop. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(60);

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "forwardloop-shutdown");

    private StopSignal() {}

    /** Returns a signal whose shutdown hook is installed. */
    public static StopSignal install() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** Blocks for {@code duration}, or until shutdown when it is empty, whichever comes first. */
    public void await(Optional<Duration> duration) throws InterruptedException {
        if (duration.isPresent()) {
            stopRequested.await(duration.get().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            stopRequested.await();
        }
    }

    private void onShutdown() {
        stopRequested.countDown();
        try {
            stopped.await(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Marks the services stopped and removes the hook unless the JVM is shutting down. */
    @Override
    public void close() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now and returns as soon as it sees the countdown above
        }
    }
}
