package io.forwardloop.schemaregistry;

/**
 * The schema registry server could not start or could not keep its journal: a busy port, an
 * unreadable data directory, a failed write.
 */
public class SchemaRegistryServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SchemaRegistryServerException(String message, Throwable cause) {
        super(message, cause);
    }

    public SchemaRegistryServerException(String message) {
        super(message);
    }
}
