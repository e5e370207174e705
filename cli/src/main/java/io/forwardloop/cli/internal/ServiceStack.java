package io.forwardloop.cli.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Services started one after another and stopped in the reverse order, so that each stops before
 * the ones it depends on.
 */
public final class ServiceStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceStack.class);

    private final Deque<Entry> started = new ArrayDeque<>();

    /** Starts a service with {@code starter} and keeps it for {@link #close()}. */
    public <T extends AutoCloseable> T start(String name, Supplier<T> starter) {
        LOG.info("Starting {}", name);
        T service = starter.get();
        started.push(new Entry(name, service));
        return service;
    }

    /** Stops every started service, the last started first; a failure to stop is logged. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            Entry entry = started.pop();
            try {
                entry.service().close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", entry.name(), e.getMessage(), e);
            }
        }
    }

    private record Entry(String name, AutoCloseable service) {}
}
