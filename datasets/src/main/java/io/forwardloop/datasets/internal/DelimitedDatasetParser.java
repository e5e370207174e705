package io.forwardloop.datasets.internal;

import io.forwardloop.datasets.DatasetFormatException;
import io.forwardloop.datasets.LabeledText;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses CSV or TSV with a header row naming {@code text}, {@code label} and optionally {@code
 * domain} columns; other columns are ignored. Header names match case-insensitively.
 */
public final class DelimitedDatasetParser {

    private static final Logger LOG = LoggerFactory.getLogger(DelimitedDatasetParser.class);

    private final Path file;
    private final char delimiter;

    /** A parser for {@code file} with fields separated by {@code delimiter}. */
    public DelimitedDatasetParser(Path file, char delimiter) {
        this.file = file;
        this.delimiter = delimiter;
    }

    /** Parses the header and every record of {@code content}. */
    public List<LabeledText> parse(String content) throws IOException {
        DelimitedRecordReader records =
                new DelimitedRecordReader(new StringReader(content), delimiter, file);
        DelimitedRecordReader.Row header = records.next();
        if (header == null) {
            throw new DatasetFormatException(
                    file, 1, "the file is empty; the first line must name the columns");
        }
        Columns columns = Columns.of(header, file);
        List<LabeledText> out = new ArrayList<>();
        long empty = 0;
        for (var row = records.next(); row != null; row = records.next()) {
            if (row.isEmptyLine()) {
                empty++;
            } else {
                out.add(columns.toText(row));
            }
        }
        LOG.debug("read {} labeled texts from {}; skipped {} empty lines", out.size(), file, empty);
        return out;
    }

    /** Where the text, label and domain columns are. */
    private record Columns(Path file, int count, int text, int label, int domain) {

        static Columns of(DelimitedRecordReader.Row header, Path file) {
            List<String> names =
                    header.fields().stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).toList();
            return new Columns(
                    file,
                    names.size(),
                    find(names, "text", true, file),
                    find(names, "label", true, file),
                    find(names, "domain", false, file));
        }

        private static int find(List<String> names, String name, boolean required, Path file) {
            int at = names.indexOf(name);
            if (at != names.lastIndexOf(name)) {
                throw new DatasetFormatException(
                        file, 1, "the header names '" + name + "' twice: " + names);
            }
            if (at < 0 && required) {
                throw new DatasetFormatException(
                        file,
                        1,
                        "the header has no '"
                                + name
                                + "' column (found "
                                + names
                                + "); the first line must name the columns, including 'text'"
                                + " and 'label'");
            }
            return at;
        }

        LabeledText toText(DelimitedRecordReader.Row row) {
            List<String> f = row.fields();
            if (f.size() != count) {
                throw new DatasetFormatException(
                        file,
                        row.line(),
                        f.size()
                                + " fields but the header has "
                                + count
                                + " columns; quote fields that contain the delimiter");
            }
            return new LabeledText(
                    nonBlank(f, text, "text", row),
                    nonBlank(f, label, "label", row),
                    domain < 0 || f.get(domain).isEmpty() ? null : f.get(domain));
        }

        private String nonBlank(
                List<String> f, int at, String name, DelimitedRecordReader.Row row) {
            if (f.get(at).isBlank()) {
                throw new DatasetFormatException(
                        file,
                        row.line(),
                        "'" + name + "' is empty; every record needs a text and a label");
            }
            return f.get(at);
        }
    }
}
