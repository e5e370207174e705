package io.forwardloop.datasets.internal;

import io.forwardloop.datasets.DatasetFormatException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits delimited text into records with RFC 4180 quoting.
 *
 * <p>A field that starts with {@code "} is quoted: it may hold delimiters and line breaks, and
 * {@code ""} inside it stands for one quote; after its closing quote only a delimiter or the end of
 * the line may follow. A quote inside an unquoted field is kept as a literal character. Lines end
 * with LF, CRLF or CR. A leading byte order mark is skipped.
 */
final class DelimitedRecordReader {

    private static final int EOF = -1;

    /** One record and the 1-based line it starts on. */
    record Row(long line, List<String> fields) {

        /** Whether the record is an empty line: a single empty, unquoted field. */
        boolean isEmptyLine() {
            return fields.size() == 1 && fields.get(0).isEmpty();
        }
    }

    private final Reader in;
    private final char delimiter;
    private final Path file;
    private long line = 1;
    private int pending = EOF;
    private boolean started;

    DelimitedRecordReader(Reader in, char delimiter, Path file) {
        this.in = in;
        this.delimiter = delimiter;
        this.file = file;
    }

    /** The next record, or {@code null} at the end of the input. */
    Row next() throws IOException {
        int c = read();
        if (c == EOF) {
            return null;
        }
        unread(c);
        long start = line;
        List<String> fields = new ArrayList<>();
        boolean more = true;
        while (more) {
            more = readField(fields);
        }
        return new Row(start, fields);
    }

    /** Reads one field into {@code fields}; returns whether another field follows on the record. */
    private boolean readField(List<String> fields) throws IOException {
        int c = read();
        StringBuilder field = new StringBuilder();
        int end = c == '"' ? readQuoted(field) : readUnquoted(c, field);
        fields.add(field.toString());
        return end == delimiter;
    }

    private int readUnquoted(int first, StringBuilder field) throws IOException {
        int c = first;
        while (c != delimiter && !isLineEnd(c)) {
            field.append((char) c);
            c = read();
        }
        return endRecord(c);
    }

    private int readQuoted(StringBuilder field) throws IOException {
        long opened = line;
        while (true) {
            int c = readCounting();
            if (c == EOF) {
                throw error(opened, "quoted field is never closed; add the closing '\"'");
            }
            if (c == '"') {
                int after = read();
                if (after != '"') {
                    return afterClosingQuote(after);
                }
            }
            field.append((char) c);
        }
    }

    private int afterClosingQuote(int c) throws IOException {
        if (c != delimiter && !isLineEnd(c)) {
            throw error(
                    line,
                    "unexpected character '"
                            + (char) c
                            + "' after a closing quote; inside a quoted field write a quote as"
                            + " \"\"");
        }
        return endRecord(c);
    }

    /** Consumes a line end ({@code c} and, for CRLF, the LF) and returns {@code c}. */
    private int endRecord(int c) throws IOException {
        if (c == '\r') {
            int lf = read();
            if (lf != '\n') {
                unread(lf);
            }
        }
        if (c == '\r' || c == '\n') {
            line++;
        }
        return c;
    }

    /** Reads a character inside a quoted field, counting the line breaks it holds. */
    private int readCounting() throws IOException {
        int c = read();
        if (c == '\n') {
            line++;
        } else if (c == '\r') {
            int lf = read();
            unread(lf);
            if (lf != '\n') {
                line++;
            }
        }
        return c;
    }

    private static boolean isLineEnd(int c) {
        return c == '\n' || c == '\r' || c == EOF;
    }

    private int read() throws IOException {
        if (pending != EOF) {
            int c = pending;
            pending = EOF;
            return c;
        }
        int c = in.read();
        if (!started) {
            started = true;
            return c == TextFiles.BOM ? in.read() : c;
        }
        return c;
    }

    private void unread(int c) {
        pending = c;
    }

    private DatasetFormatException error(long at, String problem) {
        return new DatasetFormatException(file, at, problem);
    }
}
