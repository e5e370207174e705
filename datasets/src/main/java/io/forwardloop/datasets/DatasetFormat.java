package io.forwardloop.datasets;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A file format for labeled text, chosen by file extension.
 *
 * <p>All formats are UTF-8; a leading byte order mark is ignored.
 */
public enum DatasetFormat {
    /** One JSON object per line with {@code text}, {@code label} and optional {@code domain}. */
    JSONL(List.of(".jsonl", ".ndjson")),
    /** Comma-separated values with a header row, quoted as in RFC 4180. */
    CSV(List.of(".csv")),
    /** Tab-separated values with a header row, quoted as in RFC 4180. */
    TSV(List.of(".tsv"));

    private final List<String> extensions;

    DatasetFormat(List<String> extensions) {
        this.extensions = extensions;
    }

    /** The file name extensions of this format, lower case, with the leading dot. */
    public List<String> extensions() {
        return extensions;
    }

    /**
     * The format of {@code file} by its extension, case-insensitively.
     *
     * @throws DatasetException if the extension is not one of the known formats
     */
    public static DatasetFormat of(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(f -> f.extensions.stream().anyMatch(name::endsWith))
                .findFirst()
                .orElseThrow(() -> unknownExtension(file));
    }

    private static DatasetException unknownExtension(Path file) {
        List<String> known = Arrays.stream(values()).flatMap(f -> f.extensions.stream()).toList();
        return new DatasetException(
                "cannot tell the format of "
                        + file
                        + " from its name; rename it to end in one of "
                        + known
                        + " or pass the format explicitly");
    }
}
