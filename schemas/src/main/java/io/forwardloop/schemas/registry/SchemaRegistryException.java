package io.forwardloop.schemas.registry;

/**
 * A schema registry call failed: the registry refused it, was unreachable, or sent an answer that
 * could not be read.
 *
 * <p>{@link #errorCode()} is the registry's own error code (Confluent's codes: 40401 subject not
 * found, 40403 schema not found, 409 incompatible, 42201 invalid schema, ...) or {@code -1} when
 * the registry could not be reached (then it is a {@link SchemaRegistryUnreachableException}) or
 * sent no code.
 */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errorCode;

    public SchemaRegistryException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, int errorCode) {
        this(message, errorCode, null);
    }

    /** The registry's error code, or {@code -1} when it sent none. */
    public int errorCode() {
        return errorCode;
    }
}
