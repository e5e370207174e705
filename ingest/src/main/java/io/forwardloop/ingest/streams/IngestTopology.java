package io.forwardloop.ingest.streams;

import io.forwardloop.ingest.streams.internal.IngestCounters;
import io.forwardloop.ingest.streams.internal.ValidateAndDedupe;
import io.forwardloop.ingest.streams.internal.Validation;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryClients;
import io.forwardloop.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams topology between the gateways and the signal job: reads {@code
 * raw-inference-records} and {@code raw-feedback}, validates every record, drops repeats of a
 * request id (inference) or feedback id (feedback) within the dedupe window, and writes the
 * original bytes of what passes to {@code inference-records} and {@code feedback}.
 *
 * <p>A record that does not deserialise against its schema, or fails a check (empty request id,
 * unknown adapter, unknown encoder or an activation of the wrong width, labels and scores that do
 * not align, non-finite numbers, an over-long text, an unknown feedback kind) goes to {@code
 * dead-letters} as a {@link DeadLetter} with its original key and value bytes, source topic,
 * partition, offset, the reason and stage {@value ValidateAndDedupe#STAGE}. Ids are remembered in a
 * changelogged store; a wall-clock punctuator removes those older than the window. A record whose
 * schema cannot be fetched because the schema registry does not answer is not dead-lettered: its
 * task fails with a {@link org.apache.kafka.streams.errors.StreamsException}, so that it is read
 * again after a restart.
 *
 * <p>{@link IngestService} runs this topology as a service.
 */
public final class IngestTopology {
    /** The store of request ids seen. */
    public static final String INFERENCE_STORE = "ingest-inference-ids";

    /** The store of feedback ids seen. */
    public static final String FEEDBACK_STORE = "ingest-feedback-ids";

    private IngestTopology() {}

    /**
     * Builds the topology with serdes that reach the schema registry configured in {@code
     * serdeConfig}.
     */
    public static Topology build(IngestConfig config, Map<String, ?> serdeConfig) {
        return build(config, SchemaRegistryClients.create(serdeConfig), serdeConfig);
    }

    /** Builds the topology with serdes that share {@code registry}. */
    public static Topology build(
            IngestConfig config, SchemaRegistryClient registry, Map<String, ?> serdeConfig) {
        return build(config, registry, serdeConfig, new CompositeMeterRegistry());
    }

    /**
     * Builds the topology with serdes that share {@code registry}, counting what it does in {@code
     * meters}: {@code ingest.records.validated{topic}}, {@code
     * ingest.records.dead.lettered{topic,reason}} and {@code ingest.duplicates.dropped{topic}}, by
     * raw topic.
     */
    public static Topology build(
            IngestConfig config,
            SchemaRegistryClient registry,
            Map<String, ?> serdeConfig,
            MeterRegistry meters) {
        IngestCounters counters = new IngestCounters(meters);
        AvroSerde<InferenceRecord> inference =
                Topics.RAW_INFERENCE_RECORDS.valueSerde(registry, serdeConfig);
        AvroSerde<Feedback> feedback = Topics.RAW_FEEDBACK.valueSerde(registry, serdeConfig);
        AvroSerde<DeadLetter> deadLetters = Topics.DEAD_LETTERS.valueSerde(registry, serdeConfig);
        Validation validation = new Validation(config.adapters(), config.textMaxChars());
        Topology topology = new Topology();

        // read the raw topics as bytes
        topology.addSource(
                "raw-inference",
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                Topics.RAW_INFERENCE_RECORDS.name());
        topology.addSource(
                "raw-feedback",
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                Topics.RAW_FEEDBACK.name());

        // validate and dedupe
        topology.addProcessor(
                "validate-inference",
                () ->
                        new ValidateAndDedupe<>(
                                new ValidateAndDedupe.Spec<>(
                                        INFERENCE_STORE,
                                        inference.deserializer(),
                                        validation::inference,
                                        InferenceRecord::getRequestId,
                                        "inference-records",
                                        "dead-letters",
                                        config.dedupeWindowMs(),
                                        config.dedupePunctuateIntervalMs(),
                                        counters)),
                "raw-inference");
        topology.addProcessor(
                "validate-feedback",
                () ->
                        new ValidateAndDedupe<>(
                                new ValidateAndDedupe.Spec<>(
                                        FEEDBACK_STORE,
                                        feedback.deserializer(),
                                        Validation::feedback,
                                        Feedback::getFeedbackId,
                                        "feedback",
                                        "dead-letters",
                                        config.dedupeWindowMs(),
                                        config.dedupePunctuateIntervalMs(),
                                        counters)),
                "raw-feedback");
        topology.addStateStore(idStore(INFERENCE_STORE), "validate-inference");
        topology.addStateStore(idStore(FEEDBACK_STORE), "validate-feedback");

        // write what passed, and the dead letters
        Serializer<Object> passThrough = bytes();
        topology.addSink(
                "inference-records",
                Topics.INFERENCE_RECORDS.name(),
                new ByteArraySerializer(),
                passThrough,
                "validate-inference");
        topology.addSink(
                "feedback",
                Topics.FEEDBACK.name(),
                new ByteArraySerializer(),
                passThrough,
                "validate-feedback");
        topology.addSink(
                "dead-letters",
                Topics.DEAD_LETTERS.name(),
                new ByteArraySerializer(),
                deadLetterSerializer(deadLetters.serializer()),
                "validate-inference",
                "validate-feedback");
        return topology;
    }

    private static org.apache.kafka.streams.state.StoreBuilder<
                    org.apache.kafka.streams.state.KeyValueStore<String, Long>>
            idStore(String name) {
        return Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.Long());
    }

    private static Serializer<Object> bytes() {
        return (topic, value) -> (byte[]) value;
    }

    private static Serializer<Object> deadLetterSerializer(Serializer<DeadLetter> serializer) {
        return (topic, value) -> serializer.serialize(topic, (DeadLetter) value);
    }
}
