package io.forwardloop.registry.bench;

import java.time.Duration;

/**
 * Waits until a moved alias has taken effect somewhere downstream; the benchmark times a promote up
 * to the moment this returns.
 *
 * <p>{@link AdapterEventsObserver} waits for the event on {@code adapter-events}: the registry's
 * share of an alias move. A gateway benchmark plugs in an observer that waits until the gateway
 * answers with the new version, to time the move end to end.
 */
public interface ServingObserver extends AutoCloseable {
    /** Prepares to observe moves of {@code adapter}/{@code alias}, before the first promote. */
    void prepare(String adapter, String alias);

    /**
     * Returns once {@code version} of {@code adapter} is in effect for {@code alias}.
     *
     * @throws IllegalStateException when it is not within {@code timeout}
     */
    void awaitVersion(String adapter, String alias, long version, Duration timeout);

    @Override
    void close();
}
