package io.forwardloop.schemaregistry.internal;

/**
 * A request the registry refuses, carrying Confluent's HTTP status and error code.
 *
 * <p>The REST layer turns it into {@code {"error_code": ..., "message": ...}}.
 */
public final class RegistryError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    RegistryError(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** Confluent's error code: 40401, 40402, 40403, 409, 42201, 42202, 42203, ... */
    public int errorCode() {
        return errorCode;
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(String subject, int version) {
        return new RegistryError(
                404, 40402, "Version " + version + " not found under subject '" + subject + "'.");
    }

    static RegistryError schemaNotFound(String what) {
        return new RegistryError(404, 40403, what);
    }

    static RegistryError subjectLevelNotConfigured(String subject) {
        return new RegistryError(
                404,
                40408,
                "Subject '"
                        + subject
                        + "' does not have subject-level compatibility configured; "
                        + "add ?defaultToGlobal=true to read the global level");
    }

    static RegistryError incompatible(String subject, Object details) {
        return new RegistryError(
                409,
                409,
                "Schema being registered is incompatible with an earlier schema for subject \""
                        + subject
                        + "\", details: "
                        + details);
    }

    static RegistryError invalidSchema(String message) {
        return new RegistryError(422, 42201, message);
    }

    static RegistryError invalidVersion(String version) {
        return new RegistryError(
                422,
                42202,
                "The specified version '"
                        + version
                        + "' is not a valid version id. Allowed values are between [1, 2^31-1]"
                        + " and the string \"latest\"");
    }

    static RegistryError invalidCompatibilityLevel(String level) {
        return new RegistryError(
                422,
                42203,
                "Invalid compatibility level '"
                        + level
                        + "'. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD,"
                        + " FORWARD_TRANSITIVE, FULL and FULL_TRANSITIVE");
    }

    static RegistryError badRequest(String message) {
        return new RegistryError(400, 400, message);
    }

    static RegistryError unauthorized(String message) {
        return new RegistryError(401, 401, message);
    }

    static RegistryError unsupportedMediaType(String contentType) {
        return new RegistryError(
                415,
                415,
                "Unsupported content type '"
                        + contentType
                        + "'; send application/vnd.schemaregistry.v1+json, application/json or"
                        + " application/octet-stream");
    }
}
