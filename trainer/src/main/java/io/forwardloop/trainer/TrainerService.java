package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.ForwardForwardExample;
import io.forwardloop.schemas.avro.LabeledExample;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import io.forwardloop.schemas.serde.AvroSerde;
import io.forwardloop.trainer.internal.AdapterState;
import io.forwardloop.trainer.internal.Publishing;
import io.forwardloop.trainer.internal.RecentIds;
import io.forwardloop.trainer.internal.ServedSpec;
import io.forwardloop.trainer.internal.StepLog;
import io.forwardloop.trainer.internal.TrainerClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming trainer of one adapter: consumes zeroth-order signals ({@code zo-signals}) or
 * Forward-Forward examples ({@code ff-examples}), applies them, writes every step to {@code
 * adapter-steps}, and evaluates, publishes, promotes and rolls back on the {@code holdout} stream.
 *
 * <p>Exactly once: each poll is one Kafka transaction holding the steps it produced and the
 * consumed offsets ({@code sendOffsetsToTransaction}); input is read with {@code read_committed}. A
 * crash therefore never drops or double-applies a signal. The transactional id is the prefix plus
 * the adapter name: a new instance fences the old one, which aborts its open transaction.
 *
 * <p>Event-sourced: {@link #start()} rebuilds the adapter from the step log (the latest snapshot
 * plus the steps after it) and recovers the last published version from the registry, the parent of
 * its next candidate. An empty log gets a SNAPSHOT version 0 first, the step every replica starts
 * from: the version the serving alias points to when one does (its spec must match the configured
 * one, else start fails), otherwise a seeded base, which {@code trainer.bootstrap.promote}
 * publishes and promotes so that gateways have something to serve.
 *
 * <p>Signals are deduplicated by id over the last {@code trainer.dedupe.window.signals} applied
 * (Forward-Forward: by the positive example's request id), the window rebuilt from the step log on
 * start, so a repeat from an at-least-once producer is skipped and counted, never applied twice.
 */
public final class TrainerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

    private final TrainerConfig config;
    private final String adapter;
    private final AvroSerde<AdapterStep> stepSerde;
    private final KafkaProducer<String, AdapterStep> producer;
    private final KafkaConsumer<String, ZeroOrderSignal> signals;
    private final KafkaConsumer<String, ForwardForwardExample> examples;
    private final KafkaConsumer<String, LabeledExample> holdout;
    private final AdapterPublisher publisher;
    private final Publishing publishing;
    private final RecentIds recent;
    private final Stats stats = new Stats();
    private AdapterState state;
    private HoldoutWindow window;
    private ForwardForwardExample pendingPositive;
    private long pendingOffset;
    private String lastRepeatedPositive;
    private long stepsAtEvaluation;
    private long lastEvaluationMs;
    private long lastPublishMs;
    private long lastSummaryMs;
    private Evaluation lastEvaluation;

    /** Counters of the running service. */
    public static final class Stats {
        private long signalsIn;
        private long applied;
        private long droppedStale;
        private long duplicates;
        private long unpaired;
        private long steps;

        public long signalsIn() {
            return signalsIn;
        }

        /** Signals or Forward-Forward pairs applied. */
        public long applied() {
            return applied;
        }

        public long droppedStale() {
            return droppedStale;
        }

        /** Repeats of an id already applied, skipped. */
        public long duplicates() {
            return duplicates;
        }

        /** Negative examples without their positive, skipped. */
        public long unpaired() {
            return unpaired;
        }

        /** Steps written to the step log. */
        public long steps() {
            return steps;
        }
    }

    /** Creates the clients; nothing is read or written before {@link #start()}. */
    public TrainerService(TrainerConfig config, AdapterPublisher publisher) {
        this.config = config;
        this.adapter = config.adapterName();
        TrainerClients clients = new TrainerClients(config);
        this.stepSerde = clients.stepSerde();
        this.producer = clients.producer();
        boolean zo = config.method() == TrainingMethod.ZO;
        this.signals = zo ? clients.consumer(Topics.ZO_SIGNALS, true) : null;
        this.examples = zo ? null : clients.consumer(Topics.FF_EXAMPLES, true);
        this.holdout = clients.consumer(Topics.HOLDOUT, false);
        this.publisher = publisher;
        this.recent = new RecentIds(config.getInt(TrainerConfig.DEDUPE_WINDOW_SIGNALS));
        this.publishing =
                new Publishing(
                        publisher,
                        new PromotionPolicy(
                                config.getDouble(TrainerConfig.PROMOTION_TOLERANCE),
                                config.getDouble(TrainerConfig.ROLLBACK_THRESHOLD)),
                        adapter,
                        config.getString(TrainerConfig.SERVING_ALIAS),
                        config.getString(TrainerConfig.ENCODER_ID));
    }

    /** Fences earlier instances, rebuilds the adapter from the step log and subscribes. */
    public TrainerService start() {
        producer.initTransactions();
        rebuild();
        window =
                new HoldoutWindow(
                        config.getInt(TrainerConfig.HOLDOUT_WINDOW_SIZE),
                        state.parameters().spec().inputDim(),
                        state.parameters().spec().labels());
        TrainerClients.tailHoldout(holdout, config.getInt(TrainerConfig.HOLDOUT_WINDOW_SIZE));
        if (signals != null) {
            signals.subscribe(List.of(Topics.ZO_SIGNALS.name()));
        } else {
            examples.subscribe(List.of(Topics.FF_EXAMPLES.name()));
        }
        lastEvaluationMs = lastSummaryMs = System.currentTimeMillis();
        LOG.info("Trainer of adapter {} started at version {}", adapter, state.version());
        return this;
    }

    private void rebuild() {
        state = new AdapterState(config, recent);
        try (KafkaConsumer<String, AdapterStep> reader = TrainerClients.stepReader(config)) {
            StepLog.readAll(reader, Topics.ADAPTER_STEPS.name(), adapter, state);
        }
        if (state.started()) {
            LOG.info(
                    "Adapter {} rebuilt from {} logged steps at version {}",
                    adapter,
                    state.stepsRead(),
                    state.version());
            recoverLineage();
            return;
        }
        AdapterParameters base = coldStartBase();
        state.startFrom(base, 0);
        producer.beginTransaction();
        send(StepLog.snapshot(adapter, 0, 0, base));
        producer.commitTransaction();
        LOG.info("Adapter {} had no step log; wrote version 0 ({})", adapter, base.digest());
    }

    // the version the serving alias points to, else the seeded base (published when configured);
    // publishing comes before the snapshot, so a crash between the two repeats the cold start
    // from the published version
    private AdapterParameters coldStartBase() {
        String alias = config.getString(TrainerConfig.SERVING_ALIAS);
        Optional<AdapterPublisher.VersionInfo> served = lookUpServing(alias);
        if (served.isPresent()) {
            long version = served.get().version();
            AdapterParameters params =
                    ServedSpec.parameters(
                            publisher, adapter, alias, served.get(), spec(), encoderId());
            publishing.continueFrom(version, 0);
            LOG.info(
                    "Adapter {} has no step log; starting from version {}, which {} serves",
                    adapter,
                    version,
                    alias);
            return params;
        }
        AdapterParameters base = AdapterParameters.initialize(spec(), initSeed());
        if (!config.getBoolean(TrainerConfig.BOOTSTRAP_PROMOTE)) {
            LOG.info(
                    "Adapter {} has no step log and {} serves nothing; starting from the seeded"
                            + " base",
                    adapter,
                    alias);
            return base;
        }
        long version = publishing.publishBase(base, hyperparameters());
        LOG.warn(
                "Adapter {} has no step log and {} served nothing: published the untrained seeded"
                        + " base as version {} and promoted it so that gateways can serve; it"
                        + " answers near chance until a trained candidate replaces it. To serve a"
                        + " trained adapter from the start, train and promote one before the"
                        + " trainer's first start: forwardloop train --input FILE --method {}"
                        + " --encoder {} --publish {} --adapter {} --promote {}",
                adapter,
                alias,
                version,
                config.method().id(),
                encoderId(),
                config.registryUrl().orElse("REGISTRY_URL"),
                adapter,
                alias);
        return base;
    }

    private Optional<AdapterPublisher.VersionInfo> lookUpServing(String alias) {
        try {
            return publisher.describe(adapter, alias);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "adapter "
                            + adapter
                            + " has no step log, and what alias '"
                            + alias
                            + "' serves could not be looked up in the model registry: "
                            + e.getMessage()
                            + "; start the trainer once the registry answers",
                    e);
        }
    }

    private void recoverLineage() {
        try {
            Optional<Long> parent = publishing.recover(state.version());
            LOG.info(
                    "Adapter {}: the next candidate continues the lineage of version {} (steps"
                            + " after {})",
                    adapter,
                    parent.map(String::valueOf).orElse("none"),
                    publishing.lastPublishedStep());
        } catch (RuntimeException e) {
            LOG.warn(
                    "Adapter {}: the last published version could not be read from the registry"
                            + " ({}); the next candidate records no parent",
                    adapter,
                    e.toString());
            LOG.trace("Lineage recovery failure", e);
        }
    }

    private String encoderId() {
        return config.getString(TrainerConfig.ENCODER_ID);
    }

    private long initSeed() {
        return config.getLong(TrainerConfig.INIT_SEED);
    }

    private AdapterSpec spec() {
        int d = config.getInt(TrainerConfig.INPUT_DIM);
        List<String> labels = config.getList(TrainerConfig.LABELS);
        if (config.method() == TrainingMethod.ZO) {
            return AdapterSpec.lowRankClassifier(d, config.getInt(TrainerConfig.RANK), labels)
                    .build();
        }
        return AdapterSpec.forwardForward(d, labels, config.hiddenSizes()).build();
    }

    /** Runs poll rounds until the thread is interrupted or {@link #close()} is called. */
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            runOnce();
        }
    }

    /** One round: poll, apply and commit in one transaction, read holdout, evaluate if due. */
    public int runOnce() {
        int consumed = transaction(true);
        readHoldout();
        maybeEvaluate();
        maybeSummarise();
        return consumed;
    }

    /**
     * Polls and applies like {@link #runOnce()} but leaves the transaction open: what a crash
     * between producing the steps and committing leaves behind. For tests of recovery.
     */
    int runOnceWithoutCommit() {
        int consumed = transaction(false);
        producer.flush();
        return consumed;
    }

    private int transaction(boolean commit) {
        Duration timeout = Duration.ofMillis(config.getLong(TrainerConfig.POLL_TIMEOUT_MS));
        Map<TopicPartition, OffsetAndMetadata> offsets;
        int consumed;
        producer.beginTransaction();
        if (signals != null) {
            ConsumerRecords<String, ZeroOrderSignal> records = signals.poll(timeout);
            consumed = records.count();
            offsets = applySignals(records);
        } else {
            ConsumerRecords<String, ForwardForwardExample> records = examples.poll(timeout);
            consumed = records.count();
            offsets = applyExamples(records);
        }
        if (consumed == 0) {
            producer.abortTransaction();
            return 0;
        }
        maybeSnapshot();
        producer.sendOffsetsToTransaction(offsets, groupMetadataOf());
        if (commit) {
            producer.commitTransaction();
        }
        return consumed;
    }

    private org.apache.kafka.clients.consumer.ConsumerGroupMetadata groupMetadataOf() {
        return signals != null ? signals.groupMetadata() : examples.groupMetadata();
    }

    private Map<TopicPartition, OffsetAndMetadata> applySignals(
            ConsumerRecords<String, ZeroOrderSignal> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        ZerothOrderTrainer trainer = state.zerothOrder();
        for (ConsumerRecord<String, ZeroOrderSignal> record : records) {
            offsets.put(
                    new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1));
            ZeroOrderSignal signal = record.value();
            if (signal == null || !adapter.equals(signal.getAdapterName())) {
                continue;
            }
            stats.signalsIn++;
            if (recent.contains(signal.getSignalId())) {
                stats.duplicates++;
                LOG.debug("Skipped repeated signal {}", signal.getSignalId());
                continue;
            }
            ZerothOrderTrainer.Outcome outcome = trainer.apply(toSignal(signal));
            if (!outcome.applied()) {
                stats.droppedStale++;
                LOG.debug(
                        "Dropped signal {} with staleness {}",
                        signal.getSignalId(),
                        outcome.staleness());
                continue;
            }
            stats.applied++;
            recent.add(signal.getSignalId());
            List<AppliedStep> steps = outcome.steps();
            for (int i = 0; i < steps.size(); i++) {
                String digest = i == steps.size() - 1 ? trainer.parameters().digest() : null;
                send(StepLog.zerothOrder(adapter, steps.get(i), digest));
            }
        }
        return offsets;
    }

    private static ZerothOrderSignal toSignal(ZeroOrderSignal signal) {
        return new ZerothOrderSignal(
                signal.getSignalId(),
                signal.getBaseVersion(),
                signal.getSeed(),
                signal.getEpsilon(),
                signal.getLossPlus(),
                signal.getLossMinus());
    }

    private Map<TopicPartition, OffsetAndMetadata> applyExamples(
            ConsumerRecords<String, ForwardForwardExample> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        ForwardForwardTrainer trainer = state.forwardForward();
        long base = trainer.version();
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<String, ForwardForwardExample> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            ForwardForwardExample example = record.value();
            if (example != null && adapter.equals(example.getAdapterName())) {
                stats.signalsIn++;
                pair(example, record.offset(), ids);
            }
            long next = pendingPositive == null ? record.offset() + 1 : pendingOffset;
            offsets.put(partition, new OffsetAndMetadata(next));
        }
        if (!ids.isEmpty()) {
            send(
                    StepLog.forwardForward(
                            adapter,
                            trainer.version(),
                            base,
                            config.getDouble(TrainerConfig.LEARNING_RATE),
                            ids,
                            trainer.parameters()));
        }
        return offsets;
    }

    // a positive waits for its negative (same request id, next in the log); a positive followed by
    // anything else is paired with the adapter's hardest negative. A positive whose request id was
    // applied or is waiting is a repeat, skipped with the negative that follows it
    private void pair(ForwardForwardExample example, long offset, List<String> ids) {
        List<String> labels = state.parameters().spec().labels();
        int label = labels.indexOf(example.getLabel());
        if (label < 0 || example.getActivation().size() != state.parameters().spec().inputDim()) {
            stats.unpaired++;
            return;
        }
        String requestId = example.getRequestId();
        boolean waiting =
                pendingPositive != null && pendingPositive.getRequestId().equals(requestId);
        if (example.getPositive()) {
            if (waiting || recent.contains(requestId)) {
                stats.duplicates++;
                lastRepeatedPositive = requestId;
                return;
            }
            flushPending(ids);
            pendingPositive = example;
            pendingOffset = offset;
            return;
        }
        if (waiting) {
            applyPair(pendingPositive, label, ids);
            pendingPositive = null;
        } else if (requestId.equals(lastRepeatedPositive)) {
            stats.duplicates++;
        } else {
            stats.unpaired++;
        }
    }

    private void flushPending(List<String> ids) {
        if (pendingPositive == null) {
            return;
        }
        float[] x = activation(pendingPositive.getActivation());
        int label = state.parameters().spec().labels().indexOf(pendingPositive.getLabel());
        applyPair(pendingPositive, state.forwardForward().hardestNegative(x, label), ids);
        pendingPositive = null;
    }

    private void applyPair(ForwardForwardExample positive, int negative, List<String> ids) {
        int label = state.parameters().spec().labels().indexOf(positive.getLabel());
        state.forwardForward().apply(activation(positive.getActivation()), label, negative);
        ids.add(positive.getRequestId());
        recent.add(positive.getRequestId());
        stats.applied++;
    }

    private static float[] activation(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private void maybeSnapshot() {
        long interval = config.getLong(TrainerConfig.SNAPSHOT_INTERVAL_STEPS);
        if (signals != null && state.version() - state.lastSnapshotVersion() >= interval) {
            send(StepLog.snapshot(adapter, state.version(), state.version(), state.parameters()));
            state.snapshotWritten(state.version());
        }
    }

    private void send(AdapterStep step) {
        producer.send(new ProducerRecord<>(Topics.ADAPTER_STEPS.name(), adapter, step));
        stats.steps++;
    }

    private void readHoldout() {
        for (ConsumerRecord<String, LabeledExample> record : holdout.poll(Duration.ZERO)) {
            LabeledExample example = record.value();
            if (example != null
                    && adapter.equals(example.getAdapterName())
                    && example.getLabel() != null) {
                window.add(activation(example.getActivation()), example.getLabel());
            }
        }
    }

    private void maybeEvaluate() {
        long now = System.currentTimeMillis();
        long newSteps = state.version() - stepsAtEvaluation;
        boolean due =
                newSteps >= config.getLong(TrainerConfig.EVALUATE_INTERVAL_STEPS)
                        || (newSteps > 0
                                && now - lastEvaluationMs
                                        >= config.getLong(TrainerConfig.EVALUATE_INTERVAL_MS));
        if (!due || window.size() < config.getInt(TrainerConfig.HOLDOUT_MIN_EXAMPLES)) {
            return;
        }
        boolean publish = now - lastPublishMs >= config.getLong(TrainerConfig.PUBLISH_INTERVAL_MS);
        try {
            lastEvaluation =
                    publishing.round(
                            state.parameters(),
                            state.version(),
                            window.snapshot(),
                            publish,
                            hyperparameters());
            lastPublishMs = publish ? now : lastPublishMs;
        } catch (RuntimeException e) {
            LOG.warn(
                    "Adapter {} evaluation or publishing failed; training goes on: {}",
                    adapter,
                    e.toString());
            LOG.trace("Publishing failure", e);
        }
        stepsAtEvaluation = state.version();
        lastEvaluationMs = now;
    }

    private Map<String, Object> hyperparameters() {
        Map<String, Object> hyper = new LinkedHashMap<>();
        for (String key :
                List.of(
                        TrainerConfig.METHOD,
                        TrainerConfig.LEARNING_RATE,
                        TrainerConfig.SCHEDULE,
                        TrainerConfig.DECAY_STEPS,
                        TrainerConfig.MOMENTUM,
                        TrainerConfig.MAX_STALENESS)) {
            hyper.put(
                    key,
                    String.valueOf(config.originals().getOrDefault(key, config.values().get(key))));
        }
        return hyper;
    }

    private void maybeSummarise() {
        long now = System.currentTimeMillis();
        if (now - lastSummaryMs < config.getLong(TrainerConfig.SUMMARY_INTERVAL_MS)) {
            return;
        }
        lastSummaryMs = now;
        LOG.info(
                "Adapter {}: signals in {}, applied {}, dropped stale {}, duplicates {}, steps {},"
                        + " version {}, holdout accuracy {} on {}, promotions {}, rollbacks {}",
                adapter,
                stats.signalsIn,
                stats.applied,
                stats.droppedStale,
                stats.duplicates,
                stats.steps,
                state.version(),
                lastEvaluation == null ? "n/a" : lastEvaluation.accuracy(),
                window.size(),
                publishing.promotions(),
                publishing.rollbacks());
    }

    /** A copy of the current parameters. */
    public AdapterParameters parameters() {
        return state.parameters().copy();
    }

    /** The current adapter version. */
    public long version() {
        return state.version();
    }

    public Stats stats() {
        return stats;
    }

    /** The latest holdout evaluation of the candidate, or null before the first. */
    public Evaluation lastEvaluation() {
        return lastEvaluation;
    }

    /** Promotions and rollbacks made by this instance. */
    public long promotions() {
        return publishing.promotions();
    }

    public long rollbacks() {
        return publishing.rollbacks();
    }

    /** The holdout window, for inspection. */
    public HoldoutWindow holdoutWindow() {
        return window;
    }

    /**
     * An estimate of the heap this trainer's state holds, in bytes: the adapter's float32
     * parameters, the holdout window ({@link HoldoutWindow#retainedBytes()}) and the dedupe window
     * of recent signal ids. The Kafka clients' buffers come on top (see the module README).
     */
    public long retainedBytesEstimate() {
        long adapterBytes = (long) Float.BYTES * state.parameters().spec().parameterCount();
        return adapterBytes + window.retainedBytes() + recent.retainedBytes();
    }

    /** The version the next published candidate names as its parent, or null. */
    public Long lastPublished() {
        return publishing.lastPublished();
    }

    @Override
    public void close() {
        closeQuietly(signals);
        closeQuietly(examples);
        closeQuietly(holdout);
        producer.close(Duration.ofSeconds(5));
        stepSerde.close();
    }

    private static void closeQuietly(KafkaConsumer<?, ?> consumer) {
        if (consumer != null) {
            consumer.close();
        }
    }
}
