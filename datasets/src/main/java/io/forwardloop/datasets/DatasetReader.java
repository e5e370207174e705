package io.forwardloop.datasets;

import io.forwardloop.datasets.internal.DelimitedDatasetParser;
import io.forwardloop.datasets.internal.JsonlDatasetParser;
import io.forwardloop.datasets.internal.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a labeled text data set from a JSONL, CSV or TSV file.
 *
 * <p>Every record must have a non-blank {@code text} and {@code label}; {@code domain} is optional.
 * Input that breaks the format fails with a {@link DatasetFormatException} naming the file, the
 * line and the problem; nothing is skipped silently. The whole file is read into memory. The only
 * records skipped are empty lines, which are counted and logged at DEBUG. See the module README for
 * the formats in full.
 */
public final class DatasetReader {

    private DatasetReader() {}

    /** Reads {@code file} in the format its extension names (see {@link DatasetFormat#of}). */
    public static List<LabeledText> read(Path file) {
        return read(file, DatasetFormat.of(file));
    }

    /** Reads {@code file} in {@code format}, whatever its name. */
    public static List<LabeledText> read(Path file, DatasetFormat format) {
        try {
            String content = TextFiles.readUtf8(file);
            return switch (format) {
                case JSONL -> new JsonlDatasetParser(file).parse(content);
                case CSV -> new DelimitedDatasetParser(file, ',').parse(content);
                case TSV -> new DelimitedDatasetParser(file, '\t').parse(content);
            };
        } catch (IOException e) {
            throw new DatasetException("cannot read data set " + file + ": " + e, e);
        }
    }
}
