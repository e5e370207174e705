package io.forwardloop.replay;

import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.replay.internal.FileCheckpoint;
import io.forwardloop.replay.internal.RecordReader;
import io.forwardloop.replay.internal.TokenBucket;
import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.serde.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Republishes historical inference records and feedback from files to Kafka at a target rate, keyed
 * by request id, resumably and without sending any record twice.
 *
 * <p>Records files are sent first, in the order given, then feedback files. Every {@code chunkSize}
 * records the idempotent producer is flushed and only then is the position in each file written to
 * the checkpoint ({@code republish-checkpoint.json} in the work directory, replaced atomically). An
 * interrupted thread, or {@code maxRecords} reached, stops after a flush and a checkpoint; the next
 * run resumes there, and a run over inputs already sent sends nothing. A process killed between a
 * flush and the checkpoint write resends at most that one chunk.
 */
public final class Republisher {
    private static final Logger LOG = LoggerFactory.getLogger(Republisher.class);

    /** The checkpoint's file name in the work directory. */
    public static final String CHECKPOINT = "republish-checkpoint.json";

    private final Settings settings;
    private final ClusterConnection connection;

    /**
     * What to republish and how.
     *
     * @param records files of inference records
     * @param feedback files of feedback
     * @param raw send to {@code raw-inference-records} and {@code raw-feedback} (through the ingest
     *     topology's validation) instead of {@code inference-records} and {@code feedback}
     * @param ratePerSecond target records a second; 0 sends as fast as Kafka takes them
     * @param chunkSize records between a flush and a checkpoint
     * @param maxRecords the most records this run sends; 0 for no limit
     * @param workDir where the checkpoint lives
     */
    public record Settings(
            List<Path> records,
            List<Path> feedback,
            boolean raw,
            double ratePerSecond,
            int chunkSize,
            long maxRecords,
            Path workDir) {
        /** Validates every field. */
        public Settings {
            records = List.copyOf(records);
            feedback = List.copyOf(feedback);
            Objects.requireNonNull(workDir, "workDir");
            if (records.isEmpty() && feedback.isEmpty()) {
                throw new ReplayException(
                        "nothing to republish: give --records and/or --feedback files");
            }
            require(ratePerSecond >= 0, "--rate must be 0 (unlimited) or positive", ratePerSecond);
            require(chunkSize >= 1, "--chunk-size must be at least 1", chunkSize);
            require(maxRecords >= 0, "--max-records must be 0 (no limit) or positive", maxRecords);
        }

        private static void require(boolean ok, String rule, Object value) {
            if (!ok) {
                throw new ReplayException(rule + ", got " + value);
            }
        }

        Topic<String, InferenceRecord> recordsTopic() {
            return raw ? Topics.RAW_INFERENCE_RECORDS : Topics.INFERENCE_RECORDS;
        }

        Topic<String, Feedback> feedbackTopic() {
            return raw ? Topics.RAW_FEEDBACK : Topics.FEEDBACK;
        }
    }

    /**
     * The outcome of a run.
     *
     * @param sent records sent by this run
     * @param total records in all the inputs
     * @param alreadySent records earlier runs had sent
     * @param complete whether every record of every input has now been sent
     */
    public record Result(long sent, long total, long alreadySent, boolean complete) {
        /** Whether the inputs had all been sent before this run, so it sent nothing. */
        public boolean wasAlreadyComplete() {
            return sent == 0 && complete && alreadySent == total;
        }
    }

    public Republisher(Settings settings, ClusterConnection connection) {
        this.settings = settings;
        this.connection = connection;
    }

    /** Sends what the checkpoint does not hold yet; see the class comment for the guarantees. */
    public Result run(ReplayProgress progress) {
        FileCheckpoint checkpoint =
                FileCheckpoint.load(settings.workDir().resolve(CHECKPOINT), target());
        long before = alreadySent(checkpoint);
        long total = countAll();
        progress.started(total, before);
        try (Sender sender = new Sender(checkpoint, progress, before)) {
            boolean complete =
                    sendAll(sender, settings.records(), InferenceRecord.class, recordsTopic())
                            && sendAll(
                                    sender, settings.feedback(), Feedback.class, feedbackTopic());
            sender.checkpoint();
            LOG.info(
                    "Republished {} records to {} ({} of {} sent in all{})",
                    sender.sent,
                    target(),
                    before + sender.sent,
                    total,
                    complete ? ", complete" : "");
            return new Result(sender.sent, total, before, complete);
        }
    }

    private String target() {
        return connection.bootstrapServers()
                + " "
                + settings.recordsTopic().name()
                + ","
                + settings.feedbackTopic().name();
    }

    private long countAll() {
        long n = 0;
        for (Path file : settings.records()) {
            n += RecordReader.count(file, InferenceRecord.class, RecordReader.Position.START);
        }
        for (Path file : settings.feedback()) {
            n += RecordReader.count(file, Feedback.class, RecordReader.Position.START);
        }
        return n;
    }

    private long alreadySent(FileCheckpoint checkpoint) {
        long n = 0;
        for (Path file : settings.records()) {
            n += checkpoint.positionOf(file).records();
        }
        for (Path file : settings.feedback()) {
            n += checkpoint.positionOf(file).records();
        }
        return n;
    }

    private Target<InferenceRecord> recordsTopic() {
        return new Target<>(settings.recordsTopic(), r -> r.getRequestId().toString());
    }

    private Target<Feedback> feedbackTopic() {
        return new Target<>(settings.feedbackTopic(), f -> f.getRequestId().toString());
    }

    private record Target<T extends SpecificRecordBase>(
            Topic<String, T> topic, Function<T, String> key) {}

    private <T extends SpecificRecordBase> boolean sendAll(
            Sender sender, List<Path> files, Class<T> type, Target<T> target) {
        for (Path file : files) {
            if (!sender.sendFile(file, type, target)) {
                return false;
            }
        }
        return true;
    }

    /** Sends records in chunks: flush, then checkpoint. */
    private final class Sender implements AutoCloseable {
        private final FileCheckpoint checkpoint;
        private final ReplayProgress progress;
        private final long before;
        private final KafkaProducer<String, byte[]> producer;
        private final List<AvroSerde<?>> serdes = new ArrayList<>();
        private final TokenBucket bucket = new TokenBucket(settings.ratePerSecond());
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private long sent;
        private long inChunk;

        Sender(FileCheckpoint checkpoint, ReplayProgress progress, long before) {
            this.checkpoint = checkpoint;
            this.progress = progress;
            this.before = before;
            this.producer = producer();
        }

        private KafkaProducer<String, byte[]> producer() {
            Map<String, Object> props = connection.kafkaProperties();
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "forwardloop-replay");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }

        /** Sends one file from its checkpoint; false when this run must stop. */
        <T extends SpecificRecordBase> boolean sendFile(
                Path file, Class<T> type, Target<T> target) {
            if (checkpoint.isComplete(file)) {
                return true;
            }
            AvroSerde<T> serde = target.topic().valueSerde(connection.serdeConfig());
            serdes.add(serde);
            RecordReader.Position from = checkpoint.positionOf(file);
            try (RecordReader<T> reader = RecordReader.open(file, type, from)) {
                boolean ended = false;
                while (!ended && !mustStop()) {
                    T record = reader.next();
                    ended = record == null;
                    if (!ended) {
                        send(target, serde, record);
                        checkpoint.advance(file, reader.position(), false);
                        chunkDone();
                    }
                }
                checkpoint.advance(file, reader.position(), ended);
                return ended;
            }
        }

        private void chunkDone() {
            if (++inChunk >= settings.chunkSize()) {
                checkpoint();
            }
        }

        private boolean mustStop() {
            boolean limit = settings.maxRecords() > 0 && sent >= settings.maxRecords();
            return limit || Thread.currentThread().isInterrupted();
        }

        private <T extends SpecificRecordBase> void send(
                Target<T> target, AvroSerde<T> serde, T record) {
            try {
                bucket.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String topic = target.topic().name();
            byte[] value = serde.serializer().serialize(topic, record);
            producer.send(
                    new ProducerRecord<>(topic, target.key().apply(record), value),
                    (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
            sent++;
            progress.advanced(before + sent);
        }

        /** Flushes the producer, then writes the checkpoint if every send succeeded. */
        void checkpoint() {
            boolean interrupted = Thread.interrupted();
            try {
                producer.flush();
                Exception e = failure.get();
                if (e != null) {
                    throw new ReplayException(
                            "sending to Kafka failed: "
                                    + e.getMessage()
                                    + "; the checkpoint keeps the last flushed position, run"
                                    + " again to resume",
                            e);
                }
                checkpoint.save();
                inChunk = 0;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void close() {
            boolean interrupted = Thread.interrupted();
            producer.close(Duration.ofSeconds(10));
            serdes.forEach(AvroSerde::close);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
