package io.forwardloop.loop.internal;

import io.forwardloop.flink.internal.Hashing;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.registry.Lineage;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import io.forwardloop.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the freshness of learning: for a tagged feedback event, the time from the event to the
 * moment the gateway serves an adapter version that applied a step computed from it.
 *
 * <p>"Computed from it": a zeroth-order signal's batch digest is the SHA-256 of the request ids of
 * its mini-batch, in order. The tracker reads {@code feedback} in log order, keeps per signal shard
 * the requests that will be trained on (first feedback per request, not held out, not dead-lettered
 * by the join), and places each new digest with a {@link BatchMatcher}. A placed digest proves the
 * fresh batch's members; replay batches, drawn from requests already placed, are left unplaced and
 * counted, so they never move a request's first step. A request's first step is the lowest step-log
 * version that applied a signal of its fresh batch; the version that carries it is the first
 * serving version whose lineage ends at or after that step. Events whose batch is never placed
 * (examples reordered between the sources) or whose step is not served before the end are counted,
 * not measured.
 *
 * <p>Reads its four topics read_committed from their beginning and polls the serving version; runs
 * on one thread until closed.
 */
public final class FreshnessTracker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FreshnessTracker.class);
    private static final String JOIN_STAGE = "signal-join";
    private static final int WINDOW = 256;
    private static final int MAX_UNPLACED = 4_096;

    private final String adapter;
    private final double holdoutShare;
    private final Map<String, Long> tagged;
    private final LongSupplier servingVersion;
    private final RegistryClient registry;
    private final KafkaConsumer<String, Feedback> feedback;
    private final KafkaConsumer<String, ZeroOrderSignal> signals;
    private final KafkaConsumer<String, AdapterStep> steps;
    private final KafkaConsumer<String, DeadLetter> deadLetters;
    private final BatchMatcher batches;
    private final Set<String> seenRequests = new HashSet<>();
    private final Set<String> refused = new HashSet<>();
    private final Map<String, String> digestOfSignal = new HashMap<>();
    private final Map<String, Long> firstStepOfDigest = new HashMap<>();
    private final List<Served> served = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** A version the gateway served, from when, and the last step its lineage covers. */
    private record Served(long version, long stepTo, long sinceMs) {}

    /**
     * The outcome: measured freshness in seconds and the counts of what was not measured.
     *
     * @param seconds freshness of each measured event
     * @param tagged events tagged by the traffic player
     * @param unmatched tagged events whose fresh batch was not identified
     * @param notServed tagged events whose first step was not served before the end
     * @param unplacedBatches signal batches not placed: replay batches, and reordered ones
     */
    public record Result(
            List<Double> seconds, int tagged, int unmatched, int notServed, long unplacedBatches) {}

    /**
     * @param tagged feedback send times (epoch ms) by request id, filled by the traffic player
     */
    public FreshnessTracker(
            ClusterConnection connection,
            String adapter,
            double holdoutShare,
            int shards,
            Map<String, Long> tagged,
            LongSupplier servingVersion,
            RegistryClient registry) {
        this.adapter = adapter;
        this.holdoutShare = holdoutShare;
        this.tagged = tagged;
        this.servingVersion = servingVersion;
        this.registry = registry;
        this.batches = new BatchMatcher(shards, WINDOW, MAX_UNPLACED);
        this.feedback = consumer(connection, Topics.FEEDBACK);
        this.signals = consumer(connection, Topics.ZO_SIGNALS);
        this.steps = consumer(connection, Topics.ADAPTER_STEPS);
        this.deadLetters = consumer(connection, Topics.DEAD_LETTERS);
        this.thread = new Thread(this::run, "freshness-tracker");
        this.thread.setDaemon(true);
    }

    private static <V extends SpecificRecord> KafkaConsumer<String, V> consumer(
            ClusterConnection connection, Topic<String, V> topic) {
        Map<String, Object> props = new HashMap<>(connection.kafkaProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        AvroSerde<V> serde = topic.valueSerde(connection.serdeConfig());
        KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer());
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Starts the tracking thread. */
    public FreshnessTracker start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                readFeedback();
                readDeadLetters();
                readSignals();
                batches.match();
                readSteps();
                observeServing();
            }
        } catch (RuntimeException e) {
            LOG.warn("Freshness tracking stopped: {}", e.toString());
            LOG.trace("Tracking failure", e);
        }
    }

    private void readFeedback() {
        for (ConsumerRecord<String, Feedback> record : feedback.poll(Duration.ofMillis(50))) {
            String id = record.value().getRequestId();
            if (seenRequests.add(id)
                    && !refused.contains(id)
                    && !Hashing.isHeldOut(id, holdoutShare)) {
                batches.addRequest(id);
            }
        }
    }

    // feedback the join refused (late, orphan, unknown label) is never trained on
    private void readDeadLetters() {
        for (ConsumerRecord<String, DeadLetter> record : deadLetters.poll(Duration.ofMillis(20))) {
            DeadLetter letter = record.value();
            if (JOIN_STAGE.equals(letter.getStage()) && letter.getOriginalKey() != null) {
                String id =
                        StandardCharsets.UTF_8
                                .decode(letter.getOriginalKey().duplicate())
                                .toString();
                refused.add(id);
                batches.removeRequest(id);
            }
        }
    }

    private void readSignals() {
        for (ConsumerRecord<String, ZeroOrderSignal> record : signals.poll(Duration.ofMillis(50))) {
            ZeroOrderSignal signal = record.value();
            if (!adapter.equals(signal.getAdapterName())) {
                continue;
            }
            digestOfSignal.put(signal.getSignalId(), signal.getBatchDigest());
            batches.addDigest(signal.getBatchDigest(), signal.getBatchSize());
        }
    }

    private void readSteps() {
        for (ConsumerRecord<String, AdapterStep> record : steps.poll(Duration.ofMillis(50))) {
            AdapterStep step = record.value();
            if (!adapter.equals(step.getAdapterName())) {
                continue;
            }
            for (String signalId : step.getSignalIds()) {
                String digest = digestOfSignal.get(signalId);
                if (digest != null) {
                    firstStepOfDigest.putIfAbsent(digest, step.getVersion());
                }
            }
        }
    }

    private void observeServing() {
        long version = servingVersion.getAsLong();
        if (served.isEmpty() || served.get(served.size() - 1).version() != version) {
            served.add(new Served(version, stepTo(version), System.currentTimeMillis()));
        }
    }

    // the last step a served version covers; -1 for a version the registry does not know
    private long stepTo(long version) {
        if (version < 1) {
            return -1;
        }
        Lineage lineage = registry.version(adapter, version).lineage();
        return lineage == null || lineage.stepTo() == null ? -1 : lineage.stepTo();
    }

    /** Stops tracking and measures every tagged event. */
    public Result finish() {
        close();
        List<Double> seconds = new ArrayList<>();
        int notMatched = 0;
        int notServed = 0;
        for (Map.Entry<String, Long> event : Map.copyOf(tagged).entrySet()) {
            String digest = batches.batchOf(event.getKey()).orElse(null);
            Long step = digest == null ? null : firstStepOfDigest.get(digest);
            if (step == null) {
                notMatched++;
                continue;
            }
            OptionalLong since = servedSince(step, event.getValue());
            if (since.isEmpty()) {
                notServed++;
            } else {
                seconds.add((since.getAsLong() - event.getValue()) / 1000.0);
            }
        }
        return new Result(seconds, tagged.size(), notMatched, notServed, batches.unplacedBatches());
    }

    private OptionalLong servedSince(long step, long afterMs) {
        for (Served s : served) {
            if (s.stepTo() >= step) {
                return OptionalLong.of(Math.max(s.sinceMs(), afterMs));
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        feedback.close();
        signals.close();
        steps.close();
        deadLetters.close();
    }
}
