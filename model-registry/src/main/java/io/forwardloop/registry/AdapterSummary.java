package io.forwardloop.registry;

import java.util.Map;

/**
 * An adapter at a glance: its latest version, how many versions it has, and its aliases.
 *
 * @param name the adapter
 * @param latestVersion the highest version number
 * @param versionCount how many versions exist, retired ones included
 * @param aliases the version each alias points to
 * @param createdAtMs when its first version was published, milliseconds since the epoch
 */
public record AdapterSummary(
        String name,
        long latestVersion,
        long versionCount,
        Map<String, Long> aliases,
        long createdAtMs) {

    /** Copies the aliases. */
    public AdapterSummary {
        aliases = Map.copyOf(aliases);
    }
}
