package io.forwardloop.ingest.internal;

import io.forwardloop.schemas.registry.SchemaRegistryException;
import java.io.IOException;

/**
 * Tells a serde failure that may pass (the schema registry could not be reached or failed on its
 * side) from one that never will (the bytes or the record do not fit their schema, or the registry
 * refused the schema).
 */
public final class SchemaRegistryFailures {
    private static final int SERVER_ERROR_CODES = 50_000;

    private SchemaRegistryFailures() {}

    /**
     * Whether {@code failure}, or one of its causes, is a schema registry that did not answer (no
     * error code, an I/O failure underneath) or answered with a server error code (5xxxx): trying
     * again later may succeed. Every other failure, a refusal with a client error code included, is
     * taken as permanent.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SchemaRegistryException e) {
                return e.errorCode() >= SERVER_ERROR_CODES
                        || (e.errorCode() < 0 && e.getCause() instanceof IOException);
            }
        }
        return false;
    }
}
