package io.forwardloop.adapter;

/** The function an adapter computes on top of the frozen backbone's activation. */
public enum AdapterKind {
    /** A LoRA-style low-rank residual followed by a linear classifier, trained zeroth-order. */
    LOW_RANK_CLASSIFIER(1),
    /** A stack of ReLU layers scored by goodness per label, trained with Forward-Forward. */
    FORWARD_FORWARD(2);

    private final int code;

    AdapterKind(int code) {
        this.code = code;
    }

    /** The stable number written into serialised parameters. */
    public int code() {
        return code;
    }

    /** Returns the kind with the given serialised code. */
    public static AdapterKind fromCode(int code) {
        for (AdapterKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "unknown adapter kind code " + code + "; expected 1 or 2");
    }
}
