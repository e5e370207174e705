package io.forwardloop.registry;

/**
 * Where an alias of an adapter points.
 *
 * @param adapterName the adapter
 * @param alias the alias, such as {@code serving}
 * @param version the version it points to
 * @param previousVersion the version it pointed to before the last move, or null
 * @param artifactSha256 the SHA-256 of the version's artifact
 * @param updatedAtMs when it last moved, milliseconds since the epoch
 */
public record AliasInfo(
        String adapterName,
        String alias,
        long version,
        Long previousVersion,
        String artifactSha256,
        long updatedAtMs) {}
