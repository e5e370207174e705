package io.forwardloop.datasets;

import java.nio.file.Path;

/**
 * A data set file holds input that does not follow its format.
 *
 * <p>The message names the file, the 1-based line number and what is wrong; {@link #file()} and
 * {@link #line()} give them to callers that report errors themselves.
 */
public class DatasetFormatException extends DatasetException {

    private final transient Path file;
    private final long line;

    /** Bad input at {@code line} (1-based) of {@code file}. */
    public DatasetFormatException(Path file, long line, String problem) {
        super(file + ": line " + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** The file that holds the bad input. */
    public Path file() {
        return file;
    }

    /** The 1-based line where the bad record starts or where the problem was found. */
    public long line() {
        return line;
    }
}
