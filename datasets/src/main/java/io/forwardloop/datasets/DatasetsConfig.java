package io.forwardloop.datasets;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Settings for fetching data sets: where the cache lives and how long a package client may run.
 *
 * <p>Build one from a map of keys (see {@link Key}); unknown keys under {@code datasets.} are
 * rejected so that a typo does not silently fall back to a default.
 *
 * @param cacheDir the directory that holds normalised data sets
 * @param fetchTimeout how long one package client command may run
 */
public record DatasetsConfig(Path cacheDir, Duration fetchTimeout) {

    /** The configuration keys of this module, each with its type, default and meaning. */
    public enum Key {
        /** Directory for normalised data sets; relative paths resolve against the working dir. */
        CACHE_DIR(
                "datasets.cache.dir",
                "path",
                "data/datasets",
                "directory that holds the normalised data sets (<name>.jsonl)"),
        /** Upper bound on one package client run (npm pack, apt-get, dpkg-deb). */
        FETCH_TIMEOUT_MS(
                "datasets.fetch.timeout.ms",
                "long, > 0",
                "300000",
                "how long one package client command may run before it is stopped");

        private final String key;
        private final String type;
        private final String defaultValue;
        private final String doc;

        Key(String key, String type, String defaultValue, String doc) {
            this.key = key;
            this.type = type;
            this.defaultValue = defaultValue;
            this.doc = doc;
        }

        /** The key as written in configuration, e.g. {@code datasets.cache.dir}. */
        public String key() {
            return key;
        }

        /** The value type and the rule it must satisfy. */
        public String type() {
            return type;
        }

        /** The value used when the key is absent. */
        public String defaultValue() {
            return defaultValue;
        }

        /** What the key controls. */
        public String doc() {
            return doc;
        }
    }

    /** Checks that both settings are present and the timeout is positive. */
    public DatasetsConfig {
        if (cacheDir == null || fetchTimeout == null) {
            throw new IllegalArgumentException("cacheDir and fetchTimeout must be set");
        }
        if (fetchTimeout.isNegative() || fetchTimeout.isZero()) {
            throw new IllegalArgumentException(
                    Key.FETCH_TIMEOUT_MS.key + " must be > 0 but is " + fetchTimeout.toMillis());
        }
    }

    /** Every key at its default. */
    public static DatasetsConfig defaults() {
        return from(Map.of());
    }

    /**
     * Settings from {@code values}; absent keys take their defaults.
     *
     * @throws DatasetException naming the key and the rule when a value is invalid or a key under
     *     {@code datasets.} is unknown
     */
    public static DatasetsConfig from(Map<String, ?> values) {
        values.keySet().stream()
                .filter(k -> k.startsWith("datasets.") && !isKnown(k))
                .findFirst()
                .ifPresent(
                        k -> {
                            throw new DatasetException(
                                    "unknown configuration key '" + k + "'; known: " + known());
                        });
        return new DatasetsConfig(
                parsePath(value(values, Key.CACHE_DIR)),
                Duration.ofMillis(parseTimeout(value(values, Key.FETCH_TIMEOUT_MS))));
    }

    /** These settings with another cache directory. */
    public DatasetsConfig withCacheDir(Path dir) {
        return new DatasetsConfig(dir, fetchTimeout);
    }

    private static String value(Map<String, ?> values, Key key) {
        Object v = values.get(key.key);
        return v == null ? key.defaultValue : v.toString().strip();
    }

    private static Path parsePath(String value) {
        try {
            if (value.isEmpty()) {
                throw new InvalidPathException(value, "empty");
            }
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new DatasetException(
                    Key.CACHE_DIR.key + " must be a directory path but is '" + value + "'", e);
        }
    }

    private static long parseTimeout(String value) {
        long ms;
        try {
            ms = Long.parseLong(value);
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms <= 0) {
            throw new DatasetException(
                    Key.FETCH_TIMEOUT_MS.key
                            + " must be a whole number of milliseconds > 0 but is '"
                            + value
                            + "'");
        }
        return ms;
    }

    private static boolean isKnown(String key) {
        return Arrays.stream(Key.values()).anyMatch(k -> k.key.equals(key));
    }

    private static List<String> known() {
        return Arrays.stream(Key.values()).map(Key::key).toList();
    }
}
