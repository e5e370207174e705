package io.forwardloop.platform;

import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a long-lived service in the foreground of a command: starts it, says where it listens, stops
 * it when the JVM is asked to (SIGTERM, Ctrl-C) and turns the outcome into an exit code, 0 after a
 * clean stop and 1 when the service failed or could not start.
 *
 * <pre>{@code
 * ServiceLifecycle<IngestService> lifecycle = new ServiceLifecycle<>("ingest");
 * int exit = lifecycle.run(
 *         () -> new IngestService(settings).start(), s -> "on port " + s.port(), out, err);
 * }</pre>
 *
 * @param <S> the service
 */
public final class ServiceLifecycle<S extends ServiceLifecycle.Service> {
    /** A started service: where its probes listen, how it ends and how it is stopped. */
    public interface Service extends AutoCloseable {
        /** The port of its probes. */
        int port();

        /**
         * Waits until the service stops.
         *
         * @return the failure that stopped it, or null after {@link #close()}
         */
        Throwable awaitTermination() throws InterruptedException;

        /** Stops the service; it finishes what it is doing and releases its resources. */
        @Override
        void close();
    }

    private final String name;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile S running;

    /** A lifecycle whose messages start with {@code name}, the command's name. */
    public ServiceLifecycle(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Starts the service, prints {@code banner} of it to {@code out}, and waits until it stops by
     * {@link #stop()}, a shutdown of the JVM or a failure, which is printed to {@code err}.
     *
     * @return 0 after a clean stop, 1 when the service failed or could not start
     */
    public int run(Supplier<S> start, Function<S, String> banner, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        Thread hook = new Thread(this::stop, name + "-shutdown");
        try (S service = start.get()) {
            running = service;
            Runtime.getRuntime().addShutdownHook(hook);
            started.countDown();
            out.println(banner.apply(service));
            out.flush();
            Throwable failure = service.awaitTermination();
            if (failure != null) {
                err.println(name + ": " + failure.getMessage());
                return 1;
            }
        } catch (RuntimeException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        } finally {
            started.countDown();
            removeHook(hook);
        }
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
    }

    /**
     * Says the service will not start (its settings were refused), releasing {@link #awaitStarted}.
     */
    public void abandon() {
        started.countDown();
    }

    /** Waits until the service is up, or will not start, and returns its probe port or -1. */
    public int awaitStarted() throws InterruptedException {
        started.await();
        S service = running;
        return service == null ? -1 : service.port();
    }

    /** Stops the service as SIGTERM does; nothing happens before it started. */
    public void stop() {
        S service = running;
        if (service != null) {
            service.close();
        }
    }
}
