package io.forwardloop.ingest.adapters;

import java.util.function.Consumer;

/**
 * Where a gateway's adapter versions come from: a local directory or the model registry.
 *
 * <p>A source delivers each new version it finds to the sink, from its own thread; the sink
 * verifies and swaps (see {@link AdapterRegistry#offer}). A source never delivers a version twice
 * in a row and keeps running when the sink refuses one.
 */
public interface AdapterSource extends AutoCloseable {

    /**
     * Delivers what is there now, synchronously, then follows changes in the background until
     * {@link #close()}.
     */
    void start(Consumer<AdapterArtifact> sink);

    /** A short description for log lines, such as the directory or registry URL. */
    String describe();

    /**
     * How the source is doing, for the readiness endpoint; a source that cannot fail says {@link
     * State#FOLLOWING}.
     */
    default Status status() {
        return new Status(State.FOLLOWING, 0, null);
    }

    /** Stops following changes. */
    @Override
    void close();

    /**
     * The state of a source, with the errors it met.
     *
     * @param errors how many errors it met since it started (skipped events, failed attempts)
     * @param lastError the latest of them, or null
     */
    record Status(State state, long errors, String lastError) {}

    /** Whether a source is following its versions. */
    enum State {
        /** Not following yet. */
        STARTING,
        /** Following: new versions arrive. */
        FOLLOWING,
        /** Kafka, the schema registry or the model registry failed; retrying with backoff. */
        RETRYING,
        /** Stopped by {@link #close()}. */
        STOPPED
    }
}
