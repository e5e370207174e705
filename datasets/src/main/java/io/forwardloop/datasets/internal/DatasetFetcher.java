package io.forwardloop.datasets.internal;

import io.forwardloop.datasets.DatasetException;
import io.forwardloop.datasets.DatasetFetchException;
import io.forwardloop.datasets.DatasetInfo;
import io.forwardloop.datasets.LabeledText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a catalog data set into a cache directory: download, verify, extract, write atomically.
 *
 * <p>Nothing reaches the cache before the archive's SHA-256 matches its pin and the extracted texts
 * number what the catalog says. Scratch files live in a temporary directory that is deleted
 * afterwards.
 */
public final class DatasetFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetFetcher.class);

    private final ProcessRunner runner;

    /** A fetcher that runs package clients with {@code runner}. */
    public DatasetFetcher(ProcessRunner runner) {
        this.runner = runner;
    }

    /** The source for a catalog data set. */
    public static DatasetSource source(DatasetInfo info) {
        return switch (info.name()) {
            case "uci" -> new UciSource();
            case "mr" -> new MrSource();
            default -> throw new DatasetException("no source for data set " + info.name());
        };
    }

    /** The cached file of {@code source}, fetching it first if it is not there. */
    public Path fetch(DatasetSource source, Path cacheDir) {
        DatasetInfo info = source.info();
        Path target = cacheDir.resolve(info.cacheFileName());
        if (Files.isRegularFile(target)) {
            LOG.info("using cached data set '{}' at {}", info.name(), target);
            return target;
        }
        LOG.info(
                "fetching data set '{}' ({}) from {}",
                info.name(),
                info.title(),
                info.sourcePackage());
        return inWorkDir(
                info, work -> normalise(source, source.download(work, runner), work, target));
    }

    /** Verifies a local copy of the package archive and writes its data set into the cache. */
    public Path importArchive(DatasetSource source, Path archive, Path cacheDir) {
        Path target = cacheDir.resolve(source.info().cacheFileName());
        return inWorkDir(source.info(), work -> normalise(source, archive, work, target));
    }

    private Path normalise(DatasetSource source, Path archive, Path work, Path target)
            throws IOException {
        DatasetInfo info = source.info();
        Sha256.verify(archive, info.sha256());
        LOG.info("verified {} (SHA-256 {})", archive.getFileName(), info.sha256());
        List<LabeledText> texts = source.extract(archive, work, runner);
        if (texts.size() != info.size()) {
            throw new DatasetFetchException(
                    "extracted "
                            + texts.size()
                            + " labeled texts from "
                            + archive.getFileName()
                            + " but data set '"
                            + info.name()
                            + "' has "
                            + info.size());
        }
        JsonlWriter.writeAtomically(texts, target);
        LOG.info("wrote {} labeled texts of '{}' to {}", texts.size(), info.name(), target);
        return target;
    }

    private interface WorkStep {
        Path apply(Path workDir) throws IOException;
    }

    private static Path inWorkDir(DatasetInfo info, WorkStep step) {
        Path work = null;
        try {
            work = Files.createTempDirectory("forwardloop-dataset-" + info.name() + "-");
            return step.apply(work);
        } catch (IOException e) {
            throw new DatasetFetchException("cannot fetch data set '" + info.name() + "': " + e, e);
        } finally {
            deleteTree(work);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(DatasetFetcher::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("could not delete scratch directory {}: {}", dir, e.toString());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            LOG.warn("could not delete scratch file {}: {}", p, e.toString());
        }
    }
}
