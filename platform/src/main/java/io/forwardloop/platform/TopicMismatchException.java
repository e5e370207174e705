package io.forwardloop.platform;

import java.util.List;

/**
 * Topics exist on the cluster with settings other than the ones ForwardLoop declares.
 *
 * <p>Existing topics are never altered; the message lists every difference so that an operator can
 * fix the topic or the declaration.
 */
public class TopicMismatchException extends PlatformException {
    private static final long serialVersionUID = 1L;

    private final List<String> mismatches;

    public TopicMismatchException(List<String> mismatches) {
        super(
                "existing topics differ from their declaration and were left unchanged: "
                        + String.join("; ", mismatches)
                        + "; alter or delete those topics, or change the partitions and"
                        + " replication factor asked for");
        this.mismatches = List.copyOf(mismatches);
    }

    /** Returns one line per difference, such as {@code feedback: cleanup.policy is delete}. */
    public List<String> mismatches() {
        return mismatches;
    }
}
