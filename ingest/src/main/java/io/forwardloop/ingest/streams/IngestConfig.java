package io.forwardloop.ingest.streams;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of the ingest topology: what a valid record is and how long duplicates are caught. */
public class IngestConfig extends AbstractConfig {
    public static final String ADAPTERS = "ingest.adapters";
    public static final String TEXT_MAX_CHARS = "ingest.text.max.chars";
    public static final String DEDUPE_WINDOW_MS = "ingest.dedupe.window.ms";
    public static final String DEDUPE_PUNCTUATE_INTERVAL_MS = "ingest.dedupe.punctuate.interval.ms";

    private static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            ADAPTERS,
                            Type.LIST,
                            "",
                            Importance.HIGH,
                            "Adapter names an inference record may carry; empty accepts any.")
                    .define(
                            TEXT_MAX_CHARS,
                            Type.INT,
                            4096,
                            Range.atLeast(1),
                            Importance.MEDIUM,
                            "Longest logged text, in characters.")
                    .define(
                            DEDUPE_WINDOW_MS,
                            Type.LONG,
                            3_600_000L,
                            Range.atLeast(1),
                            Importance.MEDIUM,
                            "How long an id is remembered: a repeat within it is dropped.")
                    .define(
                            DEDUPE_PUNCTUATE_INTERVAL_MS,
                            Type.LONG,
                            60_000L,
                            Range.atLeast(1),
                            Importance.LOW,
                            "How often ids older than the window are removed from the store.");

    public IngestConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
    }

    /** The definition of the keys, for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public List<String> adapters() {
        return getList(ADAPTERS).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public int textMaxChars() {
        return getInt(TEXT_MAX_CHARS);
    }

    public long dedupeWindowMs() {
        return getLong(DEDUPE_WINDOW_MS);
    }

    public long dedupePunctuateIntervalMs() {
        return getLong(DEDUPE_PUNCTUATE_INTERVAL_MS);
    }
}
