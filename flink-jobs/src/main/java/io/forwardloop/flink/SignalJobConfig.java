package io.forwardloop.flink;

import io.forwardloop.flink.internal.SignalSettings;
import io.forwardloop.platform.ClusterConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the signal job: how feedback is joined, how much is held out, how signals are formed
 * and how the job runs.
 *
 * <p>Every key is declared once in {@link #configDef()} with its type, default, validation and
 * documentation; a bad value fails with a {@link ConfigException} naming the key. The Kafka and
 * schema registry keys ({@code kafka.bootstrap.servers}, {@code schema.registry.url}, ...) are
 * those of {@link ClusterConnection} and are read from the same map by {@link #connection()}.
 */
public final class SignalJobConfig extends AbstractConfig {
    public static final String BATCH_SIZE = "signal.batch.size";
    public static final String SEEDS_PER_BATCH = "signal.seeds.per.batch";
    public static final String EPSILON = "signal.epsilon";
    public static final String REPLAY_BUFFER_SIZE = "signal.replay.buffer.size";
    public static final String REPLAY_BATCHES = "signal.replay.batches";
    public static final String PENDING_BUFFER_SIZE = "signal.pending.buffer.size";
    public static final String PARALLEL_SHARDS = "signal.parallel.shards";
    public static final String FEEDBACK_WAIT_MS = "join.feedback.wait.ms";
    public static final String STATE_TTL_MS = "join.state.ttl.ms";
    public static final String SEEN_TTL_MS = "join.seen.ttl.ms";
    public static final String OUT_OF_ORDERNESS_MS = "join.out.of.orderness.ms";
    public static final String SOURCE_IDLE_TIMEOUT_MS = "join.source.idle.timeout.ms";
    public static final String HOLDOUT_SHARE = "holdout.share";
    public static final String CHECKPOINT_INTERVAL_MS = "job.checkpoint.interval.ms";
    public static final String PARALLELISM = "job.parallelism";
    public static final String JOB_NAME = "job.name";
    public static final String GROUP_ID = "job.group.id";
    public static final String TRANSACTIONAL_ID_PREFIX = "job.transactional.id.prefix";
    public static final String TRANSACTION_TIMEOUT_MS = "job.transaction.timeout.ms";
    public static final String RESTART_ATTEMPTS = "job.restart.attempts";
    public static final String RESTART_DELAY_MS = "job.restart.delay.ms";
    public static final String SUMMARY_INTERVAL_MS = "job.summary.interval.ms";
    public static final String DELIVERY_GUARANTEE = "job.delivery.guarantee";

    private static final ConfigDef CONFIG = define();

    private SignalJobConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
        validate();
    }

    /**
     * Reads the settings; keys not given take their defaults.
     *
     * @throws ConfigException naming the key when a value is of the wrong type or out of range
     */
    public static SignalJobConfig from(Map<?, ?> values) {
        return new SignalJobConfig(values);
    }

    /** The declaration of every key of the job, without the connection keys. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Returns a copy of these settings with {@code key} set to {@code value}. */
    public SignalJobConfig with(String key, Object value) {
        Map<String, Object> values = new HashMap<>(originals());
        values.put(key, value);
        return new SignalJobConfig(values);
    }

    /** The Kafka cluster and schema registry, from the {@link ClusterConnection} keys. */
    public ClusterConnection connection() {
        return ClusterConnection.from(originals());
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public int seedsPerBatch() {
        return getInt(SEEDS_PER_BATCH);
    }

    public double epsilon() {
        return getDouble(EPSILON);
    }

    public int replayBufferSize() {
        return getInt(REPLAY_BUFFER_SIZE);
    }

    public int replayBatches() {
        return getInt(REPLAY_BATCHES);
    }

    public int pendingBufferSize() {
        return getInt(PENDING_BUFFER_SIZE);
    }

    public int parallelShards() {
        return getInt(PARALLEL_SHARDS);
    }

    public Duration feedbackWait() {
        return Duration.ofMillis(getLong(FEEDBACK_WAIT_MS));
    }

    public Duration stateTtl() {
        return Duration.ofMillis(getLong(STATE_TTL_MS));
    }

    public Duration seenTtl() {
        return Duration.ofMillis(getLong(SEEN_TTL_MS));
    }

    public Duration outOfOrderness() {
        return Duration.ofMillis(getLong(OUT_OF_ORDERNESS_MS));
    }

    public Duration sourceIdleTimeout() {
        return Duration.ofMillis(getLong(SOURCE_IDLE_TIMEOUT_MS));
    }

    public double holdoutShare() {
        return getDouble(HOLDOUT_SHARE);
    }

    public Duration checkpointInterval() {
        return Duration.ofMillis(getLong(CHECKPOINT_INTERVAL_MS));
    }

    public int parallelism() {
        return getInt(PARALLELISM);
    }

    public String jobName() {
        return getString(JOB_NAME);
    }

    public String groupId() {
        return getString(GROUP_ID);
    }

    public String transactionalIdPrefix() {
        return getString(TRANSACTIONAL_ID_PREFIX);
    }

    public Duration transactionTimeout() {
        return Duration.ofMillis(getLong(TRANSACTION_TIMEOUT_MS));
    }

    public int restartAttempts() {
        return getInt(RESTART_ATTEMPTS);
    }

    public Duration restartDelay() {
        return Duration.ofMillis(getLong(RESTART_DELAY_MS));
    }

    /** {@code exactly-once} (transactional sinks) or {@code at-least-once}. */
    public DeliveryGuarantee deliveryGuarantee() {
        return DeliveryGuarantee.valueOf(
                getString(DELIVERY_GUARANTEE).toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public Duration summaryInterval() {
        return Duration.ofMillis(getLong(SUMMARY_INTERVAL_MS));
    }

    /** The settings the operators need, in a serializable form. */
    SignalSettings settings() {
        return new SignalSettings(
                batchSize(),
                seedsPerBatch(),
                epsilon(),
                replayBufferSize(),
                replayBatches(),
                pendingBufferSize(),
                parallelShards(),
                getLong(FEEDBACK_WAIT_MS),
                getLong(STATE_TTL_MS),
                getLong(SEEN_TTL_MS),
                holdoutShare());
    }

    private void validate() {
        atLeastOneBatch(REPLAY_BUFFER_SIZE, replayBufferSize());
        atLeastOneBatch(PENDING_BUFFER_SIZE, pendingBufferSize());
        atLeast(STATE_TTL_MS, getLong(STATE_TTL_MS), FEEDBACK_WAIT_MS);
        atLeast(SEEN_TTL_MS, getLong(SEEN_TTL_MS), STATE_TTL_MS);
    }

    private void atLeastOneBatch(String key, int size) {
        if (size < batchSize()) {
            throw new ConfigException(
                    key,
                    size,
                    "must hold at least one mini-batch of " + BATCH_SIZE + "=" + batchSize());
        }
    }

    private void atLeast(String key, long value, String other) {
        if (value < getLong(other)) {
            throw new ConfigException(
                    key, value, "must be at least " + other + "=" + getLong(other));
        }
    }

    private static ConfigDef define() {
        ConfigDef def = new ConfigDef();
        defineSignals(def);
        defineJoin(def);
        defineJob(def);
        return def;
    }

    private static void defineSignals(ConfigDef def) {
        def.define(
                        BATCH_SIZE,
                        Type.INT,
                        16,
                        Range.atLeast(1),
                        Importance.HIGH,
                        "Examples per zeroth-order mini-batch (B).")
                .define(
                        SEEDS_PER_BATCH,
                        Type.INT,
                        4,
                        Range.between(1, 1024),
                        Importance.HIGH,
                        "Perturbation seeds per mini-batch (q): each gives one signal.")
                .define(
                        EPSILON,
                        Type.DOUBLE,
                        1e-3,
                        Range.between(1e-9, 1.0),
                        Importance.HIGH,
                        "Perturbation scale epsilon of theta +/- epsilon z.")
                .define(
                        PENDING_BUFFER_SIZE,
                        Type.INT,
                        1024,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Labeled examples kept per adapter shard while they wait for a fresh"
                                + " mini-batch or for the adapter's first snapshot; beyond it the"
                                + " oldest are dropped and counted. At least signal.batch.size.")
                .define(
                        REPLAY_BUFFER_SIZE,
                        Type.INT,
                        256,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Examples kept per adapter shard, after their fresh mini-batch, for"
                                + " replay mini-batches; the oldest are evicted beyond it. At"
                                + " least signal.batch.size.")
                .define(
                        REPLAY_BATCHES,
                        Type.INT,
                        1,
                        Range.between(0, 64),
                        Importance.MEDIUM,
                        "Replay mini-batches drawn from the replay buffer after each fresh"
                                + " mini-batch and measured at the replica's current version; 0"
                                + " turns replay off.")
                .define(
                        PARALLEL_SHARDS,
                        Type.INT,
                        4,
                        Range.between(1, 4096),
                        Importance.MEDIUM,
                        "Shards per adapter: examples of one adapter are spread by a hash of the"
                                + " request id over this many keys, so several subtasks compute"
                                + " signals for the same adapter on different mini-batches.");
    }

    private static void defineJoin(ConfigDef def) {
        def.define(
                        FEEDBACK_WAIT_MS,
                        Type.LONG,
                        21_600_000L,
                        Range.atLeast(1),
                        Importance.HIGH,
                        "Event-time wait of the join: how long a record waits for its feedback"
                                + " and feedback for its record. Feedback later than this after"
                                + " its record is dead-lettered as late; feedback whose record"
                                + " did not come within it, as orphan.")
                .define(
                        STATE_TTL_MS,
                        Type.LONG,
                        86_400_000L,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Processing-time TTL of the join's per-request state (the record,"
                                + " early feedback, feedback ids); at least join.feedback.wait.ms.")
                .define(
                        SEEN_TTL_MS,
                        Type.LONG,
                        604_800_000L,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "Processing-time TTL of the compact per-request marker that remembers"
                                + " whether a request's record came and was labeled, so that"
                                + " feedback after its wait is told late (or a duplicate), not"
                                + " orphan; at least join.state.ttl.ms.")
                .define(
                        OUT_OF_ORDERNESS_MS,
                        Type.LONG,
                        5_000L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Bounded out-of-orderness of the event-time watermarks of both inputs.")
                .define(
                        SOURCE_IDLE_TIMEOUT_MS,
                        Type.LONG,
                        30_000L,
                        Range.atLeast(1),
                        Importance.LOW,
                        "After this long without records a source partition stops holding the"
                                + " watermark back.")
                .define(
                        HOLDOUT_SHARE,
                        Type.DOUBLE,
                        0.1,
                        Range.between(0.0, 0.99),
                        Importance.HIGH,
                        "Share of labeled examples held out for evaluation, chosen by a stable"
                                + " hash of the request id; never trained on.");
    }

    private static void defineJob(ConfigDef def) {
        def.define(
                        CHECKPOINT_INTERVAL_MS,
                        Type.LONG,
                        10_000L,
                        Range.atLeast(10),
                        Importance.HIGH,
                        "Checkpoint interval; Kafka transactions commit on each checkpoint, so"
                                + " it bounds the latency a read_committed consumer sees.")
                .define(
                        PARALLELISM,
                        Type.INT,
                        2,
                        Range.between(1, 1024),
                        Importance.HIGH,
                        "Parallelism of every operator of the job.")
                .define(
                        JOB_NAME,
                        Type.STRING,
                        "forwardloop-signals",
                        new ConfigDef.NonEmptyString(),
                        Importance.LOW,
                        "Name of the Flink job.")
                .define(
                        GROUP_ID,
                        Type.STRING,
                        "forwardloop-signals",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "Kafka consumer group of the job's sources.")
                .define(
                        TRANSACTIONAL_ID_PREFIX,
                        Type.STRING,
                        "forwardloop-signals",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        "Prefix of the Kafka transactional ids of the exactly-once sinks; unique"
                                + " per job on a cluster.")
                .define(
                        TRANSACTION_TIMEOUT_MS,
                        Type.LONG,
                        600_000L,
                        Range.atLeast(1_000),
                        Importance.LOW,
                        "Kafka transaction timeout of the sinks; at most the broker's"
                                + " transaction.max.timeout.ms, well above the checkpoint"
                                + " interval.")
                .define(
                        RESTART_ATTEMPTS,
                        Type.INT,
                        10,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Restarts from the last checkpoint before the job fails.")
                .define(
                        RESTART_DELAY_MS,
                        Type.LONG,
                        1_000L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Delay before each restart.")
                .define(
                        SUMMARY_INTERVAL_MS,
                        Type.LONG,
                        60_000L,
                        Range.atLeast(100),
                        Importance.LOW,
                        "Interval of the summary line the runner logs at INFO.")
                .define(
                        DELIVERY_GUARANTEE,
                        Type.STRING,
                        "exactly-once",
                        ConfigDef.ValidString.in("exactly-once", "at-least-once"),
                        Importance.HIGH,
                        "Delivery guarantee of the Kafka sinks: exactly-once writes in Kafka"
                                + " transactions committed when a checkpoint completes, so a"
                                + " read_committed consumer sees every output once;"
                                + " at-least-once may repeat outputs after a restart, each with"
                                + " the same deterministic signal id.");
    }
}
