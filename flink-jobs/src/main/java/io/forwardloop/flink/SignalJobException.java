package io.forwardloop.flink;

/** The signal job could not be started, or failed while it ran. */
public class SignalJobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SignalJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
