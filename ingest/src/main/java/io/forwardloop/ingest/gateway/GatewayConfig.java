package io.forwardloop.ingest.gateway;

import io.forwardloop.ingest.encoder.EncoderConfig;
import io.forwardloop.platform.ClusterConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of a serving gateway: HTTP, adapters and where their versions come from, batching, input
 * limits, redaction and the record log; plus the encoder's keys ({@link EncoderConfig}) and, for
 * logging to Kafka, the cluster connection's keys ({@link ClusterConnection}).
 *
 * <p>Without {@value ClusterConnection#BOOTSTRAP_SERVERS} the gateway serves but logs nothing.
 * Validation happens in the constructor; a {@link ConfigException} names the key.
 */
public class GatewayConfig extends AbstractConfig {
    public static final String HTTP_HOST = "gateway.http.host";
    public static final String HTTP_PORT = "gateway.http.port";
    public static final String GATEWAY_ID = "gateway.id";
    public static final String ADAPTERS = "gateway.adapters";
    public static final String ADAPTER_SOURCE = "gateway.adapter.source";
    public static final String ADAPTER_DIR = "gateway.adapter.dir";
    public static final String ADAPTER_POLL_INTERVAL_MS = "gateway.adapter.poll.interval.ms";
    public static final String ADAPTER_KIND = "gateway.adapter.kind";
    public static final String ADAPTER_RANK = "gateway.adapter.rank";
    public static final String ADAPTER_HIDDEN_SIZES = "gateway.adapter.hidden.sizes";
    public static final String ADAPTER_SEED = "gateway.adapter.seed";
    public static final String REGISTRY_URL = "gateway.registry.url";
    public static final String REGISTRY_TOKEN = "gateway.registry.token";
    public static final String SERVING_ALIAS = "gateway.serving.alias";
    public static final String BATCH_MAX_SIZE = "gateway.batch.max.size";
    public static final String BATCH_MAX_WAIT_MS = "gateway.batch.max.wait.ms";
    public static final String BATCH_WORKERS = "gateway.batch.workers";
    public static final String BATCH_MAX_TEXTS = "gateway.batch.max.texts";
    public static final String QUEUE_MAX_TEXTS = "gateway.queue.max.texts";
    public static final String TEXT_MAX_CHARS = "gateway.text.max.chars";
    public static final String REQUEST_CACHE_SIZE = "gateway.request.cache.size";
    public static final String REQUEST_TTL_MS = "gateway.request.ttl.ms";
    public static final String REDACTION = "gateway.redaction";
    public static final String LOG_BUFFER_MAX_RECORDS = "gateway.log.buffer.max.records";
    public static final String LOG_DELIVERY_TIMEOUT_MS = "gateway.log.delivery.timeout.ms";
    public static final String LOG_WARN_INTERVAL_MS = "gateway.log.warn.interval.ms";
    public static final String SUMMARY_INTERVAL_MS = "gateway.summary.interval.ms";

    /** Adapter sources. */
    public enum Source {
        /** Only the configured adapters, initialised from the seed. */
        NONE,
        /** Versions from {@value #ADAPTER_DIR}. */
        DIRECTORY,
        /** Versions the serving alias points to in the model registry. */
        REGISTRY
    }

    /** How input text appears in inference records. */
    public enum Redaction {
        /** The text is logged as is. */
        NONE,
        /** Only the text's SHA-256 is logged. */
        HASH
    }

    private static final ConfigDef CONFIG = define(EncoderConfig.define(new ConfigDef()));

    public GatewayConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        validate();
    }

    /** The definition of the gateway's own and the encoder's keys, for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    private static ConfigDef define(ConfigDef def) {
        return defineAdapters(defineHttp(def))
                .define(
                        REDACTION,
                        Type.STRING,
                        "hash",
                        ValidString.in("none", "hash"),
                        Importance.HIGH,
                        "How input text is logged in inference records: none keeps the text,"
                                + " hash keeps only its SHA-256.")
                .define(
                        LOG_BUFFER_MAX_RECORDS,
                        Type.INT,
                        10_000,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Records the Kafka log holds, queued or unacknowledged; beyond it new"
                                + " records are dropped and counted.")
                .define(
                        LOG_DELIVERY_TIMEOUT_MS,
                        Type.LONG,
                        300_000L,
                        Range.atLeast(10_000),
                        Importance.LOW,
                        "How long the producer retries a record before it counts as dropped.")
                .define(
                        LOG_WARN_INTERVAL_MS,
                        Type.LONG,
                        10_000L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "At most one WARN about dropped records per this interval.")
                .define(
                        SUMMARY_INTERVAL_MS,
                        Type.LONG,
                        60_000L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Interval of the summary line the gateway logs at INFO (predictions,"
                                + " feedback, refused requests, records logged and dropped, the"
                                + " versions served); 0 turns it off.");
    }

    private static ConfigDef defineHttp(ConfigDef def) {
        return def.define(
                        HTTP_HOST,
                        Type.STRING,
                        "0.0.0.0",
                        Importance.MEDIUM,
                        "Interface the HTTP API listens on.")
                .define(
                        HTTP_PORT,
                        Type.INT,
                        8080,
                        Range.between(0, 65_535),
                        Importance.HIGH,
                        "Port of the HTTP API; 0 picks a free one.")
                .define(
                        GATEWAY_ID,
                        Type.STRING,
                        "",
                        Importance.LOW,
                        "This instance's id in inference records; empty takes the host name.")
                .define(
                        BATCH_MAX_SIZE,
                        Type.INT,
                        32,
                        Range.between(1, 4096),
                        Importance.MEDIUM,
                        "Most texts one micro-batch runs through the encoder and adapters.")
                .define(
                        BATCH_MAX_WAIT_MS,
                        Type.LONG,
                        2L,
                        Range.between(0, 10_000),
                        Importance.MEDIUM,
                        "Longest a text waits for others to fill its micro-batch.")
                .define(
                        BATCH_WORKERS,
                        Type.INT,
                        1,
                        Range.between(1, 64),
                        Importance.MEDIUM,
                        "Threads that each take a micro-batch and run it through the encoder and"
                                + " adapters; each forward pass uses encoder.intra.op.threads.")
                .define(
                        BATCH_MAX_TEXTS,
                        Type.INT,
                        64,
                        Range.between(1, 10_000),
                        Importance.MEDIUM,
                        "Most texts one predict request may carry.")
                .define(
                        QUEUE_MAX_TEXTS,
                        Type.INT,
                        4096,
                        Range.atLeast(1),
                        Importance.LOW,
                        "Most texts waiting for a micro-batch; a request whose texts do not all"
                                + " fit gets 503 and none of them is queued. At least"
                                + " gateway.batch.max.texts.")
                .define(
                        TEXT_MAX_CHARS,
                        Type.INT,
                        4096,
                        Range.between(1, 1_000_000),
                        Importance.MEDIUM,
                        "Longest text, in characters, a predict request may carry.")
                .define(
                        REQUEST_CACHE_SIZE,
                        Type.INT,
                        100_000,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Recent request ids kept for feedback; the oldest go first.")
                .define(
                        REQUEST_TTL_MS,
                        Type.LONG,
                        3_600_000L,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "How long a request id accepts feedback.");
    }

    private static ConfigDef defineAdapters(ConfigDef def) {
        return def.define(
                        ADAPTERS,
                        Type.LIST,
                        "",
                        Importance.HIGH,
                        "Adapters to serve as name:label|label|..., comma-separated, e.g."
                                + " sentiment:negative|positive. A listed adapter with no version"
                                + " in the source is served fresh from the seed.")
                .define(
                        ADAPTER_SOURCE,
                        Type.STRING,
                        "none",
                        ValidString.in("none", "directory", "registry"),
                        Importance.HIGH,
                        "Where adapter versions come from: none, directory or registry.")
                .define(
                        ADAPTER_DIR,
                        Type.STRING,
                        "",
                        Importance.HIGH,
                        "Directory of <name>/<version>.onnx_adapter files with their"
                                + " <version>.json metadata, for the directory source.")
                .define(
                        ADAPTER_POLL_INTERVAL_MS,
                        Type.LONG,
                        1_000L,
                        Range.atLeast(10),
                        Importance.LOW,
                        "How often the directory source looks for new versions.")
                .define(
                        ADAPTER_KIND,
                        Type.STRING,
                        "low-rank-classifier",
                        ValidString.in("low-rank-classifier", "forward-forward"),
                        Importance.MEDIUM,
                        "Kind of the fresh adapters initialised from the seed.")
                .define(
                        ADAPTER_RANK,
                        Type.INT,
                        8,
                        Range.atLeast(1),
                        Importance.LOW,
                        "Rank of fresh low-rank classifiers.")
                .define(
                        ADAPTER_HIDDEN_SIZES,
                        Type.LIST,
                        "64,32",
                        Importance.LOW,
                        "Hidden layer sizes of fresh Forward-Forward adapters.")
                .define(ADAPTER_SEED, Type.LONG, 42L, Importance.LOW, "Seed of fresh adapters.")
                .define(
                        REGISTRY_URL,
                        Type.STRING,
                        "",
                        Importance.HIGH,
                        "Base URL of the model registry, for the registry source.")
                .define(
                        REGISTRY_TOKEN,
                        Type.PASSWORD,
                        null,
                        Importance.LOW,
                        "Bearer token for the model registry, where it requires one.")
                .define(
                        SERVING_ALIAS,
                        Type.STRING,
                        "serving",
                        Importance.HIGH,
                        "The alias whose moves the registry source follows.");
    }

    private void validate() {
        adapterLabels();
        if (adapterSource() == Source.DIRECTORY && getString(ADAPTER_DIR).isBlank()) {
            throw new ConfigException(
                    ADAPTER_DIR, "", "required when " + ADAPTER_SOURCE + "=directory");
        }
        if (adapterSource() == Source.REGISTRY) {
            requireRegistry();
        }
        if (adapterSource() == Source.NONE && adapterLabels().isEmpty()) {
            throw new ConfigException(
                    ADAPTERS,
                    "",
                    "name at least one adapter (name:label|label) when "
                            + ADAPTER_SOURCE
                            + "=none");
        }
        if (batchMaxTexts() > queueMaxTexts()) {
            throw new ConfigException(
                    BATCH_MAX_TEXTS,
                    batchMaxTexts(),
                    "must not exceed "
                            + QUEUE_MAX_TEXTS
                            + " ("
                            + queueMaxTexts()
                            + "): a request is queued whole or not at all, so a larger one could"
                            + " never be served; lower "
                            + BATCH_MAX_TEXTS
                            + " or raise "
                            + QUEUE_MAX_TEXTS);
        }
        for (String size : getList(ADAPTER_HIDDEN_SIZES)) {
            if (!size.trim().matches("[1-9]\\d{0,5}")) {
                throw new ConfigException(ADAPTER_HIDDEN_SIZES, size, "must be positive integers");
            }
        }
    }

    private void requireRegistry() {
        String url = getString(REGISTRY_URL);
        if (!(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new ConfigException(
                    REGISTRY_URL,
                    url,
                    "required as an http(s) URL when " + ADAPTER_SOURCE + "=registry");
        }
        if (!originals().containsKey(ClusterConnection.BOOTSTRAP_SERVERS)) {
            throw new ConfigException(
                    ClusterConnection.BOOTSTRAP_SERVERS,
                    null,
                    "required when "
                            + ADAPTER_SOURCE
                            + "=registry: adapter events come from Kafka");
        }
    }

    /** The configured adapters and their label sets, in configuration order. */
    public Map<String, List<String>> adapterLabels() {
        Map<String, List<String>> adapters = new LinkedHashMap<>();
        for (String entry : getList(ADAPTERS)) {
            int colon = entry.indexOf(':');
            List<String> labels =
                    colon < 0 ? List.of() : List.of(entry.substring(colon + 1).split("\\|", -1));
            String name = colon < 0 ? entry.trim() : entry.substring(0, colon).trim();
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
                    || labels.size() < 2
                    || labels.stream().anyMatch(String::isBlank)
                    || adapters.put(name, labels.stream().map(String::trim).toList()) != null) {
                throw new ConfigException(
                        ADAPTERS,
                        entry,
                        "each entry is name:label|label[|...] with a unique name of letters,"
                                + " digits, '.', '_', '-' and at least two non-blank labels");
            }
        }
        return adapters;
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    /** This instance's id: the configured one or the host name. */
    public String gatewayId() {
        String id = getString(GATEWAY_ID);
        if (!id.isBlank()) {
            return id;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "gateway";
        }
    }

    public Source adapterSource() {
        return Source.valueOf(getString(ADAPTER_SOURCE).toUpperCase(Locale.ROOT));
    }

    public String adapterDir() {
        return getString(ADAPTER_DIR);
    }

    public long adapterPollIntervalMs() {
        return getLong(ADAPTER_POLL_INTERVAL_MS);
    }

    public String adapterKind() {
        return getString(ADAPTER_KIND);
    }

    public int adapterRank() {
        return getInt(ADAPTER_RANK);
    }

    public List<Integer> adapterHiddenSizes() {
        return getList(ADAPTER_HIDDEN_SIZES).stream().map(s -> Integer.parseInt(s.trim())).toList();
    }

    public long adapterSeed() {
        return getLong(ADAPTER_SEED);
    }

    public String registryUrl() {
        return getString(REGISTRY_URL);
    }

    public Optional<String> registryToken() {
        Password token = getPassword(REGISTRY_TOKEN);
        return token == null ? Optional.empty() : Optional.of(token.value());
    }

    public String servingAlias() {
        return getString(SERVING_ALIAS);
    }

    public int batchMaxSize() {
        return getInt(BATCH_MAX_SIZE);
    }

    public long batchMaxWaitMs() {
        return getLong(BATCH_MAX_WAIT_MS);
    }

    public int batchWorkers() {
        return getInt(BATCH_WORKERS);
    }

    public int batchMaxTexts() {
        return getInt(BATCH_MAX_TEXTS);
    }

    public int queueMaxTexts() {
        return getInt(QUEUE_MAX_TEXTS);
    }

    public int textMaxChars() {
        return getInt(TEXT_MAX_CHARS);
    }

    public int requestCacheSize() {
        return getInt(REQUEST_CACHE_SIZE);
    }

    public long requestTtlMs() {
        return getLong(REQUEST_TTL_MS);
    }

    public Redaction redaction() {
        return Redaction.valueOf(getString(REDACTION).toUpperCase(Locale.ROOT));
    }

    public int logBufferMaxRecords() {
        return getInt(LOG_BUFFER_MAX_RECORDS);
    }

    public long logDeliveryTimeoutMs() {
        return getLong(LOG_DELIVERY_TIMEOUT_MS);
    }

    public long logWarnIntervalMs() {
        return getLong(LOG_WARN_INTERVAL_MS);
    }

    public long summaryIntervalMs() {
        return getLong(SUMMARY_INTERVAL_MS);
    }

    /** The encoder's settings, read from the same values. */
    public EncoderConfig encoderConfig() {
        return new EncoderConfig(originals());
    }

    /**
     * The Kafka connection for the record log, if {@value ClusterConnection#BOOTSTRAP_SERVERS} is
     * set.
     */
    public Optional<ClusterConnection> kafka() {
        if (!originals().containsKey(ClusterConnection.BOOTSTRAP_SERVERS)) {
            return Optional.empty();
        }
        return Optional.of(ClusterConnection.from(originals()));
    }
}
