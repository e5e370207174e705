package io.forwardloop.ingest.gateway.internal;

import java.util.Map;

/** A request the API answers with a 4xx or 5xx status and a JSON body {error, message, ...}. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, Object> details;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Further fields of the error body, such as the known adapters. */
    public Map<String, Object> details() {
        return details;
    }
}
