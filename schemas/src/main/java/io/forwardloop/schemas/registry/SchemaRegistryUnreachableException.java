package io.forwardloop.schemas.registry;

import java.util.List;

/**
 * No configured schema registry URL answered: every one refused the connection, timed out or failed
 * the TLS handshake.
 *
 * <p>Unlike its parent, this says nothing about the schema or subject that was asked for: the
 * registry never saw the request. {@link #errorCode()} is {@code -1}.
 */
public class SchemaRegistryUnreachableException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    private final List<String> urls;

    public SchemaRegistryUnreachableException(String message, List<String> urls, Throwable cause) {
        super(message, -1, cause);
        this.urls = List.copyOf(urls);
    }

    /** The base URLs that were tried, in order, without credentials. */
    public List<String> urls() {
        return urls;
    }
}
