package io.forwardloop.loop.internal;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.datasets.LabeledText;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.serde.AvroSerde;
import io.forwardloop.trainer.AdapterPublisher;
import io.forwardloop.trainer.EmbeddingCache;
import io.forwardloop.trainer.Evaluation;
import io.forwardloop.trainer.OfflineTraining;
import io.forwardloop.trainer.TrainingMethod;
import io.forwardloop.trainer.internal.StepLog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's first adapter: trained offline on the first domain's sentences only, published as a
 * registry version, promoted to the serving alias, and written to the step log as the SNAPSHOT the
 * trainer and the signal job's replicas start from (step-log version 0).
 */
public final class FirstAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(FirstAdapter.class);

    private FirstAdapter() {}

    /** The trained adapter and its evaluation on the sentences it was trained on. */
    public record Trained(AdapterParameters parameters, Evaluation evaluation) {}

    /** Trains on {@code texts} with exact gradients (the reference optimiser). */
    public static Trained train(
            List<LabeledText> texts,
            List<String> labels,
            Encoder encoder,
            EmbeddingCache cache,
            String cacheKey,
            long seed) {
        float[][] x =
                cache.activations(
                        cache.entry(cacheKey, encoder.id().id(), encoder.maxSequenceLength()),
                        texts.stream().map(LabeledText::text).toList(),
                        encoder,
                        n -> {});
        int[] y = texts.stream().mapToInt(t -> labels.indexOf(t.label())).toArray();
        LabeledBatch batch = new LabeledBatch(x, y);
        OfflineTraining.Result result =
                OfflineTraining.run(
                        TrainingMethod.BP,
                        batch,
                        batch,
                        labels,
                        seed,
                        OfflineTraining.Options.defaults(),
                        (done, total, params) -> {});
        LOG.info(
                "First adapter trained on {} sentences: training accuracy {}",
                texts.size(),
                result.accuracy());
        return new Trained(result.parameters(), Evaluation.of(result.parameters(), batch));
    }

    /** Publishes version 1, promotes it to {@code alias} and writes the step-log snapshot. */
    public static long publish(
            Trained first,
            String adapter,
            String alias,
            String encoderId,
            AdapterPublisher publisher,
            ClusterConnection connection) {
        AdapterParameters params = first.parameters();
        long version =
                publisher.publish(
                        new AdapterPublisher.Candidate(
                                adapter,
                                params,
                                encoderId,
                                first.evaluation(),
                                Map.of("origin", "offline", "domain", Scenario.FIRST_DOMAIN),
                                null,
                                0,
                                0));
        publisher.promote(adapter, alias, version);
        writeSnapshot(params, adapter, connection);
        LOG.info(
                "First adapter {} published as version {} and promoted to {}",
                adapter,
                version,
                alias);
        return version;
    }

    private static void writeSnapshot(
            AdapterParameters params, String adapter, ClusterConnection connection) {
        Map<String, Object> props = new HashMap<>(connection.kafkaProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (AvroSerde<AdapterStep> serde =
                        Topics.ADAPTER_STEPS.valueSerde(connection.serdeConfig());
                KafkaProducer<String, AdapterStep> producer =
                        new KafkaProducer<>(props, new StringSerializer(), serde.serializer())) {
            producer.send(
                    new ProducerRecord<>(
                            Topics.ADAPTER_STEPS.name(),
                            adapter,
                            StepLog.snapshot(adapter, 0, 0, params)));
            producer.flush();
        }
    }
}
