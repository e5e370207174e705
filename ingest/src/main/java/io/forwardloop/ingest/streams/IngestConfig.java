package io.forwardloop.ingest.streams;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/**
 * Settings of the ingest topology (what a valid record is and how long duplicates are caught) and
 * of {@link IngestService}, the process that runs it (Kafka Streams application id, state
 * directory, processing guarantee, probes, summary line). The cluster is reached through the
 * connection keys of {@link io.forwardloop.platform.ClusterConnection}.
 */
public class IngestConfig extends AbstractConfig {
    public static final String ADAPTERS = "ingest.adapters";
    public static final String TEXT_MAX_CHARS = "ingest.text.max.chars";
    public static final String DEDUPE_WINDOW_MS = "ingest.dedupe.window.ms";
    public static final String DEDUPE_PUNCTUATE_INTERVAL_MS = "ingest.dedupe.punctuate.interval.ms";
    public static final String APPLICATION_ID = "ingest.application.id";
    public static final String STATE_DIR = "ingest.state.dir";
    public static final String PROCESSING_GUARANTEE = "ingest.processing.guarantee";
    public static final String HTTP_HOST = "ingest.http.host";
    public static final String HTTP_PORT = "ingest.http.port";
    public static final String SUMMARY_INTERVAL_MS = "ingest.summary.interval.ms";

    /** The processing guarantees the service offers, as Kafka Streams names them. */
    public static final List<String> GUARANTEES = List.of("exactly_once_v2", "at_least_once");

    private static final ConfigDef CONFIG = defineService(defineTopology(new ConfigDef()));

    public IngestConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
    }

    /** The definition of the keys, for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    private static ConfigDef defineTopology(ConfigDef def) {
        return def.define(
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
    }

    private static ConfigDef defineService(ConfigDef def) {
        return def.define(
                        APPLICATION_ID,
                        Type.STRING,
                        "forwardloop-ingest",
                        new NonEmptyString(),
                        Importance.HIGH,
                        "Kafka Streams application id of the ingest service: its consumer group,"
                                + " and the prefix of its changelog topics and transactional ids."
                                + " Every instance of one deployment shares it.")
                .define(
                        STATE_DIR,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "Directory for Kafka Streams' local state (locks and checkpoints; the id"
                                + " stores live in memory and are restored from their changelogs);"
                                + " empty takes forwardloop-ingest-state under java.io.tmpdir. Give"
                                + " each instance on one host its own.")
                .define(
                        PROCESSING_GUARANTEE,
                        Type.STRING,
                        "exactly_once_v2",
                        ValidString.in(GUARANTEES.toArray(String[]::new)),
                        Importance.MEDIUM,
                        "exactly_once_v2: the validated topics and the id stores change in one"
                                + " Kafka transaction, so read_committed readers see each record"
                                + " once; at_least_once: a restart may write a record again.")
                .define(
                        HTTP_HOST,
                        Type.STRING,
                        "127.0.0.1",
                        new NonEmptyString(),
                        Importance.MEDIUM,
                        "Address the service's /health, /ready and /metrics endpoints bind to;"
                                + " 0.0.0.0 for every interface.")
                .define(
                        HTTP_PORT,
                        Type.INT,
                        8083,
                        Range.between(0, 65_535),
                        Importance.MEDIUM,
                        "Port of the service's /health, /ready and /metrics endpoints; 0 picks a"
                                + " free one.")
                .define(
                        SUMMARY_INTERVAL_MS,
                        Type.LONG,
                        60_000L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Interval of the summary line the service logs at INFO (records"
                                + " validated, dead-lettered and dropped as duplicates since the"
                                + " last line, and the Kafka Streams state); 0 turns it off.");
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

    public String applicationId() {
        return getString(APPLICATION_ID);
    }

    /** The state directory: the configured one, or {@code forwardloop-ingest-state} in tmpdir. */
    public Path stateDir() {
        String dir = getString(STATE_DIR);
        return dir.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "forwardloop-ingest-state")
                : Path.of(dir);
    }

    public String processingGuarantee() {
        return getString(PROCESSING_GUARANTEE);
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public long summaryIntervalMs() {
        return getLong(SUMMARY_INTERVAL_MS);
    }
}
