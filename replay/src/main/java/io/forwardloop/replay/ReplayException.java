package io.forwardloop.replay;

/**
 * A replay that cannot go on: a missing or malformed input, a work directory that holds another
 * replay, or a failure of Kafka or of the signal job.
 *
 * <p>The message names what failed, the bad value and what to do.
 */
public class ReplayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
