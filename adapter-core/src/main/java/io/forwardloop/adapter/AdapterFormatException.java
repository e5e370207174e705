package io.forwardloop.adapter;

/** Thrown when serialised parameters or an adapter file are malformed, corrupt or mismatched. */
public class AdapterFormatException extends AdapterException {
    public AdapterFormatException(String message) {
        super(message);
    }

    public AdapterFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
