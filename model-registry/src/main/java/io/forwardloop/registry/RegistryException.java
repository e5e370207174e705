package io.forwardloop.registry;

import java.util.Arrays;

/**
 * A request to the model registry that failed, with a reason a caller can act on and a message
 * saying what was wrong and what to do.
 *
 * <p>The server maps each reason to an HTTP status and the error code of its JSON error body; the
 * client maps them back, so both sides throw the same exception.
 */
public class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request failed. */
    public enum Reason {
        /** The request was malformed or inconsistent. */
        BAD_REQUEST(400, "bad_request"),
        /** No valid bearer token was sent. */
        UNAUTHORIZED(401, "unauthorized"),
        /** The adapter, version, alias or artifact does not exist. */
        NOT_FOUND(404, "not_found"),
        /** The request conflicts with the registry's state, such as promoting a retired version. */
        CONFLICT(409, "conflict"),
        /** The artifact is larger than the registry accepts. */
        TOO_LARGE(413, "too_large"),
        /** The registry or its database cannot be reached. */
        UNAVAILABLE(503, "unavailable");

        private final int status;
        private final String code;

        Reason(int status, String code) {
            this.status = status;
            this.code = code;
        }

        /** The HTTP status the server answers with. */
        public int status() {
            return status;
        }

        /** The error code in the JSON error body. */
        public String code() {
            return code;
        }

        /** Returns the reason for an error code, or null when the code is not known. */
        public static Reason ofCode(String code) {
            return Arrays.stream(values())
                    .filter(r -> r.code.equals(code))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final Reason reason;

    public RegistryException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RegistryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the request failed. */
    public Reason reason() {
        return reason;
    }
}
