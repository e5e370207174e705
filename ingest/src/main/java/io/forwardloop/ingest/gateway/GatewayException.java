package io.forwardloop.ingest.gateway;

/** The gateway could not start or serve; the message says which part and what to do. */
public class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
