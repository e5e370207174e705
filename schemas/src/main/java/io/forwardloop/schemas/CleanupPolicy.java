package io.forwardloop.schemas;

/** How Kafka discards old records of a topic. */
public enum CleanupPolicy {
    /** Records older than the retention are deleted. */
    DELETE("delete"),
    /** Only the latest record per key is kept. */
    COMPACT("compact");

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** The value of Kafka's {@code cleanup.policy} topic config. */
    public String configValue() {
        return configValue;
    }
}
