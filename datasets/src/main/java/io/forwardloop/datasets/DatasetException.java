package io.forwardloop.datasets;

/**
 * A data set could not be read, fetched or written.
 *
 * <p>The base of this module's exceptions; unchecked so that callers streaming examples need not
 * declare it. I/O failures are wrapped with their cause.
 */
public class DatasetException extends RuntimeException {

    /** A failure with a message that says what failed and what to do. */
    public DatasetException(String message) {
        super(message);
    }

    /** A failure caused by a lower-level exception. */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
