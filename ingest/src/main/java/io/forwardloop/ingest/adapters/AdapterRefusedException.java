package io.forwardloop.ingest.adapters;

/**
 * An adapter version that failed verification and is not served; the version served before it, if
 * any, keeps serving.
 */
public class AdapterRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a version was refused; the metric tag is {@link #tag()}. */
    public enum Reason {
        /** The bytes' SHA-256 differs from the announced one. */
        HASH_MISMATCH,
        /** The file is not a valid adapter file: format, shapes, missing tensors, non-finite. */
        INVALID_FILE,
        /** The label set differs from the configured or previously served one. */
        LABEL_SET,
        /** Kind or activation width does not fit this gateway's encoder. */
        SPEC_MISMATCH,
        /** ONNX Runtime could not load the adapter or its graph. */
        RUNTIME;

        /** The value of the {@code reason} tag of {@code adapter_reload_refused_total}. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public AdapterRefusedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the version was refused. */
    public Reason reason() {
        return reason;
    }
}
