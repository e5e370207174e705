package io.forwardloop.adapter;

/** Base of the unchecked exceptions this module throws about adapters. */
public class AdapterException extends RuntimeException {
    public AdapterException(String message) {
        super(message);
    }

    public AdapterException(String message, Throwable cause) {
        super(message, cause);
    }
}
