package io.forwardloop.datasets;

/** A data set could not be fetched: a missing tool, a failed download or an unexpected archive. */
public class DatasetFetchException extends DatasetException {

    /** A fetch failure with a message that says what to do. */
    public DatasetFetchException(String message) {
        super(message);
    }

    /** A fetch failure caused by a lower-level exception. */
    public DatasetFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
