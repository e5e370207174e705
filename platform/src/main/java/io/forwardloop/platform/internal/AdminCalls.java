package io.forwardloop.platform.internal;

import io.forwardloop.platform.PlatformException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;

/** Waits for Admin API results with a bound, turning failures into {@link PlatformException}s. */
public final class AdminCalls {
    private final Duration timeout;

    public AdminCalls(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Returns the value of {@code future}; {@code what} completes "cannot ..." in messages.
     *
     * @throws PlatformException with the Kafka error as its cause when the call fails or times out
     */
    public <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PlatformException(
                    "cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PlatformException(
                    "cannot "
                            + what
                            + ": no answer within "
                            + timeout.toMillis()
                            + " ms; check that the bootstrap servers are reachable",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while trying to " + what, e);
        }
    }
}
