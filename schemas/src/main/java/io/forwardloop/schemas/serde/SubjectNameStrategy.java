package io.forwardloop.schemas.serde;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * How the registry subject of a key or value is named, as in Confluent's serializers.
 *
 * <p>Each strategy is accepted under its short name ({@code TopicNameStrategy}) or Confluent's
 * class name ({@code io.confluent.kafka.serializers.subject.TopicNameStrategy}).
 */
public enum SubjectNameStrategy {
    /** {@code <topic>-key} or {@code <topic>-value}: one schema family per topic. */
    TOPIC_NAME("TopicNameStrategy"),
    /** The record's full name: one schema family per record type, across topics. */
    RECORD_NAME("RecordNameStrategy"),
    /** {@code <topic>-<record full name>}: several record types per topic. */
    TOPIC_RECORD_NAME("TopicRecordNameStrategy");

    private static final String CONFLUENT_PACKAGE = "io.confluent.kafka.serializers.subject.";

    private final String className;

    SubjectNameStrategy(String className) {
        this.className = className;
    }

    /**
     * The subject for a key ({@code isKey}) or value of {@code topic} written with {@code schema}.
     */
    public String subject(String topic, boolean isKey, Schema schema) {
        return switch (this) {
            case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
            case RECORD_NAME -> schema.getFullName();
            case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
        };
    }

    /** The short class-style name, e.g. {@code TopicNameStrategy}. */
    public String className() {
        return className;
    }

    /**
     * Parses a short name, Confluent class name or enum name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SubjectNameStrategy parse(String name) {
        String trimmed = name == null ? "" : name.trim();
        String shortName =
                trimmed.startsWith(CONFLUENT_PACKAGE)
                        ? trimmed.substring(CONFLUENT_PACKAGE.length())
                        : trimmed;
        for (SubjectNameStrategy strategy : values()) {
            if (strategy.className.equals(shortName)
                    || strategy.name().equals(shortName.toUpperCase(Locale.ROOT))) {
                return strategy;
            }
        }
        throw new IllegalArgumentException(
                "unknown subject name strategy '" + name + "'; use one of " + accepted());
    }

    static String accepted() {
        return Arrays.stream(values())
                .map(SubjectNameStrategy::className)
                .collect(Collectors.joining(", "));
    }
}
