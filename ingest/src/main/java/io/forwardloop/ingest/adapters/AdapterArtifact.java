package io.forwardloop.ingest.adapters;

import io.forwardloop.adapter.AdapterSpec;
import java.util.Objects;

/**
 * An adapter version as a source delivers it, before verification: the announced name, version and
 * SHA-256, the artifact bytes and, where the bytes do not describe themselves, the spec.
 *
 * <p>The bytes are either an ONNX Runtime adapter file ({@code .onnx_adapter}, file identifier
 * {@code TORT}), whose tensors {@code spec} describes, or serialised {@code AdapterParameters}
 * (magic {@code FLAP}), which carry their own spec; then {@code spec} may be null and, if given,
 * must equal the carried one.
 *
 * @param name the adapter name
 * @param version the adapter version
 * @param sha256 the announced lower-case hex SHA-256 of {@code bytes}
 * @param bytes the artifact
 * @param spec the adapter's spec, or null when the bytes carry it
 * @param origin where the artifact came from, for log lines (a path, a registry URL)
 */
public record AdapterArtifact(
        String name, long version, String sha256, byte[] bytes, AdapterSpec spec, String origin) {

    /** Checks that the required fields are present. */
    public AdapterArtifact {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(origin, "origin");
    }

    /** An artifact whose announced SHA-256 is that of {@code bytes}, as a trusted source knows. */
    public static AdapterArtifact of(
            String name, long version, byte[] bytes, AdapterSpec spec, String origin) {
        return new AdapterArtifact(
                name,
                version,
                io.forwardloop.ingest.adapters.internal.ArtifactDecoder.sha256(bytes),
                bytes,
                spec,
                origin);
    }

    @Override
    public String toString() {
        return "adapter `" + name + "` version " + version + " (" + origin + ")";
    }
}
