package io.forwardloop.trainer;

import io.forwardloop.platform.ClusterConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the streaming trainer: which adapter, how it learns, when it evaluates, publishes,
 * promotes and rolls back.
 *
 * <p>Every key is declared once here with its type, default, validation and doc ({@link
 * #configDef()}). Unknown keys are ignored, so a whole properties file can be passed in. The Kafka
 * and schema registry keys ({@code kafka.bootstrap.servers}, {@code kafka.security.protocol},
 * {@code schema.registry.url}, ...) are those of {@link ClusterConnection}, read from the same map
 * by {@link #connection()} and checked when the settings are read.
 */
public final class TrainerConfig extends AbstractConfig {
    public static final String ADAPTER_NAME = "trainer.adapter.name";
    public static final String METHOD = "trainer.method";
    public static final String ENCODER_ID = "trainer.encoder.id";
    public static final String INPUT_DIM = "trainer.adapter.input.dim";
    public static final String LABELS = "trainer.adapter.labels";
    public static final String RANK = "trainer.adapter.rank";
    public static final String HIDDEN_SIZES = "trainer.ff.hidden.sizes";
    public static final String INIT_SEED = "trainer.init.seed";
    public static final String LEARNING_RATE = "trainer.learning.rate";
    public static final String SCHEDULE = "trainer.learning.rate.schedule";
    public static final String DECAY_STEPS = "trainer.learning.rate.decay.steps";
    public static final String MOMENTUM = "trainer.momentum";
    public static final String MOMENTUM_WINDOW = "trainer.momentum.window";
    public static final String MAX_STALENESS = "trainer.max.staleness";
    public static final String SNAPSHOT_INTERVAL_STEPS = "trainer.snapshot.interval.steps";
    public static final String EVALUATE_INTERVAL_STEPS = "trainer.evaluate.interval.steps";
    public static final String EVALUATE_INTERVAL_MS = "trainer.evaluate.interval.ms";
    public static final String HOLDOUT_WINDOW_SIZE = "trainer.holdout.window.size";
    public static final String HOLDOUT_MIN_EXAMPLES = "trainer.holdout.min.examples";
    public static final String PUBLISH_INTERVAL_MS = "trainer.publish.interval.ms";
    public static final String SERVING_ALIAS = "trainer.serving.alias";
    public static final String PROMOTION_TOLERANCE = "trainer.promotion.tolerance";
    public static final String ROLLBACK_THRESHOLD = "trainer.rollback.accuracy.threshold";
    public static final String BOOTSTRAP_PROMOTE = "trainer.bootstrap.promote";
    public static final String DEDUPE_WINDOW_SIGNALS = "trainer.dedupe.window.signals";
    public static final String SUMMARY_INTERVAL_MS = "trainer.summary.interval.ms";
    public static final String POLL_TIMEOUT_MS = "trainer.poll.timeout.ms";
    public static final String MAX_POLL_RECORDS = "trainer.max.poll.records";
    public static final String TRANSACTIONAL_ID_PREFIX = "trainer.transactional.id.prefix";
    public static final String REGISTRY_URL = "trainer.registry.url";
    public static final String REGISTRY_TOKEN = "trainer.registry.token";
    public static final String HTTP_HOST = "trainer.http.host";
    public static final String HTTP_PORT = "trainer.http.port";

    private static final ConfigDef CONFIG = define();

    private final ClusterConnection connection;

    /**
     * Reads the settings; keys not given take their defaults.
     *
     * @throws ConfigException naming the key when a value is missing, of the wrong type or out of
     *     range, the connection keys included
     */
    public TrainerConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        validate();
        this.connection = ClusterConnection.from(originals);
        connection.serdeConfig();
    }

    /** The definition of every key of the trainer, without the connection keys. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    private static ConfigDef define() {
        ConfigDef def = new ConfigDef();
        defineAdapter(def);
        defineOptimiser(def);
        defineEvaluation(def);
        defineRuntime(def);
        return def;
    }

    private static void defineAdapter(ConfigDef def) {
        def.define(
                        ADAPTER_NAME,
                        Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        Importance.HIGH,
                        "Name of the adapter this trainer writes; one trainer per adapter.")
                .define(
                        METHOD,
                        Type.STRING,
                        "zo",
                        ConfigDef.ValidString.in("zo", "ff"),
                        Importance.HIGH,
                        "zo: zeroth-order signals from zo-signals train a low-rank classifier;"
                                + " ff: Forward-Forward examples from ff-examples.")
                .define(
                        ENCODER_ID,
                        Type.STRING,
                        "bge-small-q",
                        Importance.MEDIUM,
                        "Encoder whose activation the adapter reads; recorded with each version.")
                .define(
                        INPUT_DIM,
                        Type.INT,
                        384,
                        ConfigDef.Range.atLeast(1),
                        Importance.MEDIUM,
                        "Width of the activation, for the first version when the log is empty.")
                .define(
                        LABELS,
                        Type.LIST,
                        List.of("negative", "positive"),
                        Importance.HIGH,
                        "Label set, in output order, for the first version.")
                .define(
                        RANK,
                        Type.INT,
                        1,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        "Rank of the low-rank classifier's residual (zo).")
                .define(
                        HIDDEN_SIZES,
                        Type.LIST,
                        List.of("256"),
                        Importance.LOW,
                        "Forward-Forward layer widths (ff).")
                .define(
                        INIT_SEED,
                        Type.LONG,
                        42L,
                        Importance.LOW,
                        "Seed of the first version's initial parameters.");
    }

    private static void defineOptimiser(ConfigDef def) {
        def.define(
                        LEARNING_RATE,
                        Type.DOUBLE,
                        0.005,
                        ConfigDef.Range.atLeast(0.0),
                        Importance.HIGH,
                        "Base learning rate eta (> 0). For zo about 8 / parameter count.")
                .define(
                        SCHEDULE,
                        Type.STRING,
                        "constant",
                        ConfigDef.ValidString.in("constant", "cosine", "inverse-sqrt"),
                        Importance.MEDIUM,
                        "How eta changes with the signals applied.")
                .define(
                        DECAY_STEPS,
                        Type.LONG,
                        100_000L,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        "Schedule length (cosine) or time scale (inverse-sqrt), in signals.")
                .define(
                        MOMENTUM,
                        Type.DOUBLE,
                        0.0,
                        ConfigDef.Range.between(0.0, 0.99),
                        Importance.LOW,
                        "Heavy-ball momentum beta (zo); 0 is plain MeZO-SGD.")
                .define(
                        MOMENTUM_WINDOW,
                        Type.INT,
                        16,
                        ConfigDef.Range.between(1, 256),
                        Importance.LOW,
                        "Signals momentum reaches back over; each signal writes this many steps.")
                .define(
                        MAX_STALENESS,
                        Type.LONG,
                        64L,
                        ConfigDef.Range.atLeast(0),
                        Importance.HIGH,
                        "A signal measured on version v is applied at version w only if w - v"
                                + " is at most this; otherwise dropped and counted.")
                .define(
                        SNAPSHOT_INTERVAL_STEPS,
                        Type.LONG,
                        10_000L,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        "A SNAPSHOT step is written after this many zo steps, so replicas and"
                                + " rebuilds can start there.");
    }

    private static void defineEvaluation(ConfigDef def) {
        def.define(
                        EVALUATE_INTERVAL_STEPS,
                        Type.LONG,
                        1_000L,
                        ConfigDef.Range.atLeast(1),
                        Importance.MEDIUM,
                        "Evaluate the candidate after this many steps...")
                .define(
                        EVALUATE_INTERVAL_MS,
                        Type.LONG,
                        60_000L,
                        ConfigDef.Range.atLeast(1),
                        Importance.MEDIUM,
                        "...or after this many milliseconds with new steps.")
                .define(
                        HOLDOUT_WINDOW_SIZE,
                        Type.INT,
                        2_000,
                        ConfigDef.Range.atLeast(1),
                        Importance.MEDIUM,
                        "Newest holdout examples kept for evaluation.")
                .define(
                        HOLDOUT_MIN_EXAMPLES,
                        Type.INT,
                        50,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        "Fewest holdout examples an evaluation needs.")
                .define(
                        PUBLISH_INTERVAL_MS,
                        Type.LONG,
                        60_000L,
                        ConfigDef.Range.atLeast(0),
                        Importance.MEDIUM,
                        "Least time between two published candidates.")
                .define(
                        SERVING_ALIAS,
                        Type.STRING,
                        "serving",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "Alias the gateways serve.")
                .define(
                        PROMOTION_TOLERANCE,
                        Type.DOUBLE,
                        0.01,
                        ConfigDef.Range.between(0.0, 1.0),
                        Importance.HIGH,
                        "A candidate is promoted if its holdout accuracy is at most this much"
                                + " below the serving version's, on the same window.")
                .define(
                        ROLLBACK_THRESHOLD,
                        Type.DOUBLE,
                        0.5,
                        ConfigDef.Range.between(0.0, 1.0),
                        Importance.HIGH,
                        "The serving alias is rolled back when the serving version's holdout"
                                + " accuracy falls below this; no candidate below it is promoted.")
                .define(
                        BOOTSTRAP_PROMOTE,
                        Type.BOOLEAN,
                        true,
                        Importance.MEDIUM,
                        "When the step log is empty and nothing serves, publish the seeded base as"
                                + " a version and promote it, so gateways become ready; it is"
                                + " untrained until a candidate replaces it.");
    }

    private static void defineRuntime(ConfigDef def) {
        def.define(
                        SUMMARY_INTERVAL_MS,
                        Type.LONG,
                        30_000L,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        "Interval of the INFO summary line.")
                .define(
                        POLL_TIMEOUT_MS,
                        Type.LONG,
                        200L,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        "Longest wait of one poll of the signal topic.")
                .define(
                        MAX_POLL_RECORDS,
                        Type.INT,
                        500,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        "Most signals or examples one transaction consumes.")
                .define(
                        DEDUPE_WINDOW_SIGNALS,
                        Type.INT,
                        10_000,
                        ConfigDef.Range.atLeast(0),
                        Importance.MEDIUM,
                        "Most recent signal ids (Forward-Forward: request ids) remembered to skip"
                                + " and count repeats; 0 turns deduplication off.")
                .define(
                        TRANSACTIONAL_ID_PREFIX,
                        Type.STRING,
                        "forwardloop-trainer",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "Prefix of the transactional id and consumer group; the adapter name is"
                                + " appended, so each adapter has exactly one writer.")
                .define(
                        REGISTRY_URL,
                        Type.STRING,
                        "",
                        Importance.HIGH,
                        "Base URL of the model registry the trainer publishes to and moves the"
                                + " serving alias in; required by the trainer service.")
                .define(
                        REGISTRY_TOKEN,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "Bearer token for the model registry, where it requires one.")
                .define(
                        HTTP_HOST,
                        Type.STRING,
                        "127.0.0.1",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "Address the service's /health and /ready endpoints bind to; 0.0.0.0"
                                + " for every interface.")
                .define(
                        HTTP_PORT,
                        Type.INT,
                        8082,
                        ConfigDef.Range.between(0, 65535),
                        Importance.MEDIUM,
                        "Port of the service's /health and /ready endpoints; 0 picks a free"
                                + " one.");
    }

    private void validate() {
        if (!(getDouble(LEARNING_RATE) > 0)) {
            throw new ConfigException(LEARNING_RATE, getDouble(LEARNING_RATE), "must be > 0");
        }
        if (getList(LABELS).size() < 2) {
            throw new ConfigException(LABELS, getList(LABELS), "must name at least 2 labels");
        }
        try {
            hiddenSizes();
        } catch (NumberFormatException e) {
            throw new ConfigException(HIDDEN_SIZES, getList(HIDDEN_SIZES), "must be integers");
        }
    }

    public String adapterName() {
        return getString(ADAPTER_NAME);
    }

    public TrainingMethod method() {
        return TrainingMethod.parse(getString(METHOD));
    }

    /** The Forward-Forward layer widths. */
    public List<Integer> hiddenSizes() {
        return getList(HIDDEN_SIZES).stream().map(s -> Integer.valueOf(s.trim())).toList();
    }

    /** The zeroth-order optimiser settings. */
    public ZerothOrderTrainer.Settings zerothOrderSettings() {
        return new ZerothOrderTrainer.Settings(
                getDouble(LEARNING_RATE),
                LearningRateSchedule.parse(getString(SCHEDULE)),
                getLong(DECAY_STEPS),
                getDouble(MOMENTUM),
                getInt(MOMENTUM_WINDOW),
                getLong(MAX_STALENESS));
    }

    /** The Forward-Forward optimiser settings. */
    public ForwardForwardTrainer.Settings forwardForwardSettings() {
        return new ForwardForwardTrainer.Settings(
                getDouble(LEARNING_RATE),
                LearningRateSchedule.parse(getString(SCHEDULE)),
                getLong(DECAY_STEPS));
    }

    /** The Kafka cluster and schema registry, from the {@link ClusterConnection} keys. */
    public ClusterConnection connection() {
        return connection;
    }

    /** The model registry's base URL; empty when {@value #REGISTRY_URL} is not set. */
    public Optional<String> registryUrl() {
        String url = getString(REGISTRY_URL).trim();
        return url.isEmpty() ? Optional.empty() : Optional.of(url);
    }

    /** The model registry's bearer token, or null when none is set. */
    public String registryToken() {
        Password token = getPassword(REGISTRY_TOKEN);
        return token == null ? null : token.value();
    }

    /** The transactional id and consumer group of this adapter's trainer. */
    public String transactionalId() {
        return getString(TRANSACTIONAL_ID_PREFIX) + "-" + adapterName();
    }
}
