package io.forwardloop.flink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.ZerothOrderStep;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.StepKind;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import io.forwardloop.schemas.serde.AvroSerde;
import io.forwardloop.trainer.AdapterPublisher;
import io.forwardloop.trainer.AppliedStep;
import io.forwardloop.trainer.TrainerConfig;
import io.forwardloop.trainer.TrainerService;
import io.forwardloop.trainer.ZerothOrderTrainer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signal job's replica against the trainer's own code: the streaming trainer ({@link
 * TrainerService}, MeZO with heavy-ball momentum and a cosine schedule) applies signals and writes
 * its step log to {@code adapter-steps} in Avro; the log, read back from Kafka, drives {@link
 * AdapterReplicas}, which must hold the trainer's parameters bit for bit at every version.
 */
class ReplicaFollowsTrainerIT {
    private static final String ADAPTER = "sentiment";
    private static final int SIGNALS = 30;

    @TempDir Path dir;

    @Test
    void shouldHoldTheTrainersParametersBitForBitAtEveryVersionOfItsStepLog() throws Exception {
        try (EmbeddedPlatform platform =
                EmbeddedPlatform.builder().dataDir(dir.resolve("platform")).build().start()) {
            TrainerConfig config = trainerConfig(platform);
            Map<Long, AdapterParameters> trainerAt = new HashMap<>();
            long finalVersion;
            try (TrainerService trainer = new TrainerService(config, new NoPublisher()).start();
                    KafkaProducer<String, ZeroOrderSignal> producer = signalProducer(platform)) {
                trainerAt.put(trainer.version(), trainer.parameters().copy());
                // one signal at a time, each measured on the trainer's version at the time
                for (int n = 1; n <= SIGNALS; n++) {
                    producer.send(record(n, trainer.version())).get();
                    while (trainer.stats().signalsIn() < n) {
                        trainer.runOnce();
                    }
                    trainerAt.put(trainer.version(), trainer.parameters().copy());
                }
                assertThat(trainer.stats().applied()).isEqualTo(SIGNALS);
                finalVersion = trainer.version();
            }
            List<AdapterStep> log = readLog(platform);
            assertThat(log).extracting(AdapterStep::getKind).contains(StepKind.SNAPSHOT);
            // momentum writes a window of steps per signal: the log has more versions than signals
            assertThat(finalVersion).isGreaterThan(2L * SIGNALS);

            AdapterReplicas replicas = new AdapterReplicas();
            ZerothOrderTrainer rebuilt = null;
            Set<Long> compared = new HashSet<>();
            for (AdapterStep step : log) {
                replicas.offer(step);
                rebuilt = rebuild(rebuilt, step, config);
                AdapterReplicas.Replica replica = replicas.get(ADAPTER).orElseThrow();
                assertThat(replica.version()).isEqualTo(step.getVersion());
                // every version: the trainer's own rebuild from its log
                assertThat(replica.parameters().contentEquals(rebuilt.parameters()))
                        .as("replica at version %d", replica.version())
                        .isTrue();
                // every version the trainer held after a signal: its live parameters
                AdapterParameters live = trainerAt.get(replica.version());
                if (live != null) {
                    assertThat(replica.parameters().contentEquals(live)).isTrue();
                    assertThat(replica.parameters().digest()).isEqualTo(live.digest());
                    compared.add(replica.version());
                }
            }
            assertThat(replicas.get(ADAPTER).orElseThrow().version()).isEqualTo(finalVersion);
            assertThat(compared).isEqualTo(trainerAt.keySet()).hasSize(SIGNALS + 1);
        }
    }

    private static TrainerConfig trainerConfig(EmbeddedPlatform platform) {
        Map<String, Object> values = new HashMap<>();
        values.put(ClusterConnection.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        values.put(ClusterConnection.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
        values.put(TrainerConfig.ADAPTER_NAME, ADAPTER);
        values.put(TrainerConfig.INPUT_DIM, 8);
        values.put(TrainerConfig.RANK, 2);
        values.put(TrainerConfig.LEARNING_RATE, 0.05);
        values.put(TrainerConfig.SCHEDULE, "cosine");
        values.put(TrainerConfig.DECAY_STEPS, 40L);
        values.put(TrainerConfig.MOMENTUM, 0.9);
        values.put(TrainerConfig.MOMENTUM_WINDOW, 4);
        values.put(TrainerConfig.MAX_STALENESS, 1_000L);
        values.put(TrainerConfig.SNAPSHOT_INTERVAL_STEPS, 25L);
        values.put(TrainerConfig.MAX_POLL_RECORDS, 1);
        values.put(TrainerConfig.POLL_TIMEOUT_MS, 200L);
        values.put(TrainerConfig.BOOTSTRAP_PROMOTE, false);
        return new TrainerConfig(values);
    }

    // the trainer's rebuild: snapshots restore, zeroth-order steps replay
    private static ZerothOrderTrainer rebuild(
            ZerothOrderTrainer trainer, AdapterStep step, TrainerConfig config) {
        if (step.getSnapshot() != null) {
            AdapterParameters snapshot = AdapterParameters.fromBytes(bytes(step.getSnapshot()));
            if (trainer == null) {
                return new ZerothOrderTrainer(
                        snapshot, step.getVersion(), config.zerothOrderSettings());
            }
            trainer.restore(snapshot, step.getVersion());
            return trainer;
        }
        trainer.replay(
                new AppliedStep(
                        step.getVersion(),
                        new ZerothOrderStep(
                                step.getSeed(),
                                step.getProjectedGradient(),
                                step.getLearningRate()),
                        step.getEpsilon(),
                        step.getSignalIds()));
        return trainer;
    }

    private static ProducerRecord<String, ZeroOrderSignal> record(int n, long baseVersion) {
        double plus = 0.7 + 0.01 * Math.sin(n);
        ZeroOrderSignal signal =
                ZeroOrderSignal.newBuilder()
                        .setSignalId("sig-" + n)
                        .setAdapterName(ADAPTER)
                        .setBaseVersion(baseVersion)
                        .setSeed(1_000L + 7L * n)
                        .setEpsilon(1e-3f)
                        .setLossPlus(plus)
                        .setLossMinus(plus - 1e-4 * (n % 5 - 2))
                        .setBatchSize(8)
                        .setBatchDigest("digest-" + n)
                        .setCreatedMs(Instant.ofEpochMilli(1_700_000_000_000L + n))
                        .setProducer("replica-test")
                        .build();
        return new ProducerRecord<>(Topics.ZO_SIGNALS.name(), 0, ADAPTER, signal);
    }

    private static KafkaProducer<String, ZeroOrderSignal> signalProducer(
            EmbeddedPlatform platform) {
        AvroSerde<ZeroOrderSignal> serde =
                Topics.ZO_SIGNALS.valueSerde(platform.connection().serdeConfig());
        return new KafkaProducer<>(
                platform.connection().kafkaProperties(),
                new StringSerializer(),
                serde.serializer());
    }

    // the committed step log, decoded from the Avro wire format as the signal job reads it
    private static List<AdapterStep> readLog(EmbeddedPlatform platform) {
        Map<String, Object> props = new HashMap<>(platform.connection().kafkaProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroSerde<AdapterStep> serde =
                Topics.ADAPTER_STEPS.valueSerde(platform.connection().serdeConfig());
        List<AdapterStep> log = new ArrayList<>();
        try (KafkaConsumer<String, AdapterStep> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), serde.deserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.ADAPTER_STEPS.name()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> log.add(r.value()));
            }
        }
        return log;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /**
     * An empty registry: nothing is served, so the trainer starts from its seeded base; no holdout
     * comes, so nothing is evaluated or published.
     */
    private static final class NoPublisher implements AdapterPublisher {
        @Override
        public long publish(Candidate candidate) {
            throw new IllegalStateException("nothing is published in this test");
        }

        @Override
        public Optional<Published> resolve(String adapterName, String alias, AdapterSpec spec) {
            return Optional.empty();
        }

        @Override
        public Optional<VersionInfo> describe(String adapterName, String alias) {
            return Optional.empty();
        }

        @Override
        public List<VersionInfo> versions(String adapterName) {
            return List.of();
        }

        @Override
        public AdapterParameters parameters(String adapterName, long version, AdapterSpec spec) {
            throw new IllegalStateException("the registry of this test holds no version");
        }

        @Override
        public void promote(String adapterName, String alias, long version) {
            throw new IllegalStateException("nothing is promoted in this test");
        }

        @Override
        public boolean rollback(String adapterName, String alias) {
            return false;
        }
    }
}
