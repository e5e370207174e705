package io.forwardloop.ingest.adapters;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.ingest.adapters.internal.LoadedAdapter;
import java.util.List;

/**
 * One verified adapter version as the gateway serves it: immutable, shared by every request that
 * names the adapter while it is current.
 *
 * <p>Version 0 is the fresh adapter a gateway initialises from a seed when no version exists yet.
 */
public final class ServedAdapter {
    private final String name;
    private final long version;
    private final AdapterSpec spec;
    private final String sha256;
    private final String origin;
    private final long loadedAtMs;
    private final LoadedAdapter loaded;

    ServedAdapter(
            String name,
            long version,
            AdapterSpec spec,
            String sha256,
            String origin,
            LoadedAdapter loaded) {
        this.name = name;
        this.version = version;
        this.spec = spec;
        this.sha256 = sha256;
        this.origin = origin;
        this.loadedAtMs = System.currentTimeMillis();
        this.loaded = loaded;
    }

    public String name() {
        return name;
    }

    public long version() {
        return version;
    }

    public AdapterSpec spec() {
        return spec;
    }

    public AdapterKind kind() {
        return spec.kind();
    }

    /** The labels, in the order of the scores. */
    public List<String> labels() {
        return spec.labels();
    }

    /** Lower-case hex SHA-256 of the artifact this version was loaded from. */
    public String sha256() {
        return sha256;
    }

    /** Where the artifact came from. */
    public String origin() {
        return origin;
    }

    /** When this version was loaded, milliseconds since the epoch. */
    public long loadedAtMs() {
        return loadedAtMs;
    }

    /** Whether ONNX Runtime's adapter has been closed: replaced and no request uses it. */
    public boolean isClosed() {
        return loaded.isClosed();
    }

    LoadedAdapter loaded() {
        return loaded;
    }

    @Override
    public String toString() {
        return "adapter `" + name + "` version " + version;
    }
}
