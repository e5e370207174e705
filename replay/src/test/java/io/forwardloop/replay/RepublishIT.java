package io.forwardloop.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.serde.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Republishing on the embedded platform: resumable, idempotent, and from a Kafka time range. */
class RepublishIT {
    private static final int N = 40;

    @TempDir static Path dir;
    private static EmbeddedPlatform platform;

    @BeforeAll
    static void startPlatform() {
        platform = EmbeddedPlatform.builder().dataDir(dir.resolve("platform")).build().start();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void shouldSendEachRecordExactlyOnceAcrossAnInterruptionAndARepeatedRun() throws Exception {
        Path records = History.jsonl(dir.resolve("records.jsonl"), History.records(N));
        Path feedback = History.jsonl(dir.resolve("feedback.jsonl"), History.feedbackOf(N));
        String work = dir.resolve("work-files").toString();
        String[] args = {
            "--mode",
            "republish",
            "--quiet",
            "--records",
            records.toString(),
            "--feedback",
            feedback.toString(),
            "--work-dir",
            work,
            "--chunk-size",
            "7",
            "--rate",
            "2000"
        };

        History.Run first = cli(args, "--max-records", "30");
        History.Run second = cli(args);
        History.Run third = cli(args);

        assertThat(first.out()).contains("Sent 30 records; 30 of 80 sent in all; run again");
        assertThat(second.out()).contains("Sent 50 records; 80 of 80 sent in all, complete");
        assertThat(third.out()).contains("Nothing to send: all 80 records were sent before");
        assertThat(keys(Topics.INFERENCE_RECORDS)).hasSize(N).doesNotHaveDuplicates();
        assertThat(keys(Topics.FEEDBACK)).hasSize(N).doesNotHaveDuplicates();
    }

    @Test
    void shouldStopAtAThreadInterruptAndResumeWithoutRepeats() throws Exception {
        Path records = History.jsonl(dir.resolve("records-raw.jsonl"), History.records(1000, N));
        Republisher.Settings settings =
                new Republisher.Settings(
                        List.of(records), List.of(), true, 0, 5, 0, dir.resolve("work-interrupt"));
        Republisher republisher = new Republisher(settings, platform.connection());
        ReplayProgress interruptAtTwelve =
                new ReplayProgress() {
                    @Override
                    public void advanced(long done) {
                        if (done == 12) {
                            Thread.currentThread().interrupt();
                        }
                    }
                };

        Republisher.Result interrupted = republisher.run(interruptAtTwelve);
        assertThat(Thread.interrupted()).isTrue();
        Republisher.Result resumed = republisher.run(ReplayProgress.NONE);

        assertThat(interrupted.sent()).isEqualTo(12);
        assertThat(interrupted.complete()).isFalse();
        assertThat(resumed.sent()).isEqualTo(N - 12);
        assertThat(resumed.complete()).isTrue();
        assertThat(keys(Topics.RAW_INFERENCE_RECORDS))
                .filteredOn(key -> key.length() == "req-1000".length())
                .hasSize(N)
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldReplayOnlyTheRecordsOfTheKafkaTimeRange() throws Exception {
        String source = "history-records";
        String sourceFeedback = "history-feedback";
        try (Admin admin = Admin.create(platform.connection().kafkaProperties())) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(source, 3, (short) 1),
                                    new NewTopic(sourceFeedback, 3, (short) 1)))
                    .all()
                    .get();
        }
        long now = System.currentTimeMillis();
        produce(source, Topics.INFERENCE_RECORDS, now, History.records(30));
        produce(sourceFeedback, Topics.FEEDBACK, now, History.feedbackOf(30));
        Instant start = Instant.ofEpochMilli(now + 10_000);
        Instant end = Instant.ofEpochMilli(now + 20_000);

        History.Run run =
                cli(
                        new String[] {
                            "--mode",
                            "republish",
                            "--quiet",
                            "--from-kafka",
                            "--start",
                            start.toString(),
                            "--end",
                            end.toString(),
                            "--source-records-topic",
                            source,
                            "--source-feedback-topic",
                            sourceFeedback,
                            "--raw",
                            "--work-dir",
                            dir.resolve("work-kafka").toString()
                        });

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Sent 20 records; 20 of 20 sent in all, complete");
        List<String> expected = new ArrayList<>();
        for (int i = 10; i < 20; i++) {
            expected.add("req-" + i);
        }
        assertThat(keys(Topics.RAW_FEEDBACK)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldReportTheExportsProgressInOffsetsUpToTheEndOfTheRange() throws Exception {
        String source = "progress-records";
        try (Admin admin = Admin.create(platform.connection().kafkaProperties())) {
            admin.createTopics(List.of(new NewTopic(source, 2, (short) 1))).all().get();
        }
        long now = System.currentTimeMillis();
        produce(source, Topics.INFERENCE_RECORDS, now, History.records(40));
        KafkaRangeExport export =
                new KafkaRangeExport(
                        Instant.ofEpochMilli(now),
                        Instant.ofEpochMilli(now + 60_000),
                        dir.resolve("work-progress"),
                        platform.connection());
        List<Long> told = new ArrayList<>();
        long[] total = {-1};

        export.export(
                new Topic<>(
                        source,
                        Topics.INFERENCE_RECORDS.keySerde(),
                        Topics.INFERENCE_RECORDS.valueType(),
                        Topics.INFERENCE_RECORDS.cleanupPolicy(),
                        2,
                        Topics.INFERENCE_RECORDS.extraConfigs()),
                new ReplayProgress() {
                    @Override
                    public void started(long all, long done) {
                        total[0] = all;
                        told.add(done);
                    }

                    @Override
                    public void advanced(long done) {
                        told.add(done);
                    }
                });

        assertThat(total[0]).isEqualTo(40);
        assertThat(told).startsWith(0L).isSorted().endsWith(40L);
    }

    // record i gets the Kafka timestamp now + i seconds
    private static <V extends org.apache.avro.specific.SpecificRecord> void produce(
            String topicName, Topic<String, V> like, long now, List<V> values) {
        Map<String, Object> props = platform.connection().kafkaProperties();
        try (AvroSerde<V> serde = like.valueSerde(platform.connection().serdeConfig());
                KafkaProducer<String, byte[]> producer =
                        new KafkaProducer<>(
                                props,
                                new StringSerializer(),
                                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int i = 0; i < values.size(); i++) {
                byte[] value = serde.serializer().serialize(topicName, values.get(i));
                producer.send(
                        new ProducerRecord<>(topicName, null, now + 1000L * i, "req-" + i, value));
            }
            producer.flush();
        }
    }

    private History.Run cli(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        all.addAll(
                List.of(
                        "--bootstrap-servers",
                        platform.bootstrapServers(),
                        "--schema-registry-url",
                        platform.schemaRegistryUrl()));
        History.Run run = History.run(all.toArray(String[]::new));
        assertThat(run.code()).as(run.err()).isZero();
        return run;
    }

    private static List<String> keys(Topic<String, ?> topic) {
        Map<String, Object> props = platform.connection().kafkaProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(
                        props,
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.name()).stream()
                            .map(p -> new TopicPartition(topic.name(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    keys.add(record.key());
                }
            }
        }
        return keys;
    }
}
