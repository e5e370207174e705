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

    /** Stops following changes. */
    @Override
    void close();
}
