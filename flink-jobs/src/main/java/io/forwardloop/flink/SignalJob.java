package io.forwardloop.flink;

import io.forwardloop.flink.internal.Connectors;
import io.forwardloop.flink.internal.JobTypes;
import io.forwardloop.flink.internal.SignalTopology;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.schemas.Topic;
import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The signal job: joins feedback to the logged forward results, holds a share out, and emits
 * zeroth-order signals and Forward-Forward examples, exactly once.
 *
 * <p>{@link #build} reads {@code inference-records}, {@code feedback} and {@code adapter-steps}
 * from Kafka and writes {@code zo-signals}, {@code ff-examples}, {@code holdout} and {@code
 * dead-letters} through transactional sinks that commit on checkpoints. {@link #buildBatch} runs
 * the same operators over historical files as a bounded job. Both set checkpointing, the restart
 * strategy and the parallelism of {@code env} from the config; the caller executes it (see {@link
 * SignalJobRunner}).
 */
public final class SignalJob {
    private SignalJob() {}

    /** Adds the streaming job, from Kafka to Kafka, to {@code env}. */
    public static void build(StreamExecutionEnvironment env, SignalJobConfig config) {
        build(env, config, UnaryOperator.identity());
    }

    /**
     * Adds the streaming job with {@code beforeSink} applied to the signals right before their sink
     * (identity in production; tests inject failures there, chained to the sink).
     */
    static void build(
            StreamExecutionEnvironment env,
            SignalJobConfig config,
            UnaryOperator<DataStream<ZeroOrderSignal>> beforeSink) {
        configure(env, config);
        ClusterConnection connection = config.connection();

        // read the logs
        DataStream<InferenceRecord> records =
                env.fromSource(
                        kafka(connection, Topics.INFERENCE_RECORDS, config),
                        eventTime(config, (r, t) -> r.getTimestampMs().toEpochMilli()),
                        "inference records",
                        JobTypes.INFERENCE_RECORD);
        DataStream<Feedback> feedback =
                env.fromSource(
                        kafka(connection, Topics.FEEDBACK, config),
                        eventTime(config, (f, t) -> f.getTimestampMs().toEpochMilli()),
                        "feedback",
                        JobTypes.FEEDBACK);
        DataStream<AdapterStep> steps =
                env.fromSource(
                        kafka(connection, Topics.ADAPTER_STEPS, config),
                        WatermarkStrategy.noWatermarks(),
                        "adapter steps",
                        JobTypes.ADAPTER_STEP);

        // join, hold out, emit
        SignalTopology.Outputs outputs =
                SignalTopology.wire(records, feedback, steps, config.settings());

        // write exactly once
        toKafka(
                new SignalTopology.Outputs(
                        beforeSink.apply(outputs.signals()),
                        outputs.forwardForward(),
                        outputs.holdout(),
                        outputs.deadLetters()),
                connection,
                config);
    }

    /**
     * Adds the bounded job over {@code files} to {@code env}. Without adapter-step files the step
     * log is read from the {@code adapter-steps} topic up to its end at start.
     */
    public static void buildBatch(
            StreamExecutionEnvironment env, SignalJobConfig config, HistoricalFiles files) {
        configure(env, config);

        // read the files
        DataStream<InferenceRecord> records =
                Connectors.files(
                        env,
                        files.inferenceRecords(),
                        InferenceRecord.class,
                        JobTypes.INFERENCE_RECORD,
                        eventTime(config, (r, t) -> r.getTimestampMs().toEpochMilli()));
        DataStream<Feedback> feedback =
                Connectors.files(
                        env,
                        files.feedback(),
                        Feedback.class,
                        JobTypes.FEEDBACK,
                        eventTime(config, (f, t) -> f.getTimestampMs().toEpochMilli()));
        DataStream<AdapterStep> steps = historicalSteps(env, config, files);

        // join, hold out, emit
        SignalTopology.Outputs outputs =
                SignalTopology.wire(records, feedback, steps, config.settings());

        // write to files or to Kafka
        if (files.outputDirectory().isPresent()) {
            toFiles(outputs, files.outputDirectory().get());
        } else {
            toKafka(outputs, config.connection(), config);
        }
    }

    private static DataStream<AdapterStep> historicalSteps(
            StreamExecutionEnvironment env, SignalJobConfig config, HistoricalFiles files) {
        if (!files.adapterSteps().isEmpty()) {
            return Connectors.files(
                    env,
                    files.adapterSteps(),
                    AdapterStep.class,
                    JobTypes.ADAPTER_STEP,
                    WatermarkStrategy.noWatermarks());
        }
        return env.fromSource(
                Connectors.boundedKafkaSource(config.connection(), Topics.ADAPTER_STEPS),
                WatermarkStrategy.noWatermarks(),
                "adapter steps",
                JobTypes.ADAPTER_STEP);
    }

    private static void configure(StreamExecutionEnvironment env, SignalJobConfig config) {
        env.setParallelism(config.parallelism());
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        Configuration restart = new Configuration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                config.restartAttempts());
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, config.restartDelay());
        env.configure(restart);
    }

    private static <T extends SpecificRecordBase> KafkaSource<T> kafka(
            ClusterConnection connection, Topic<String, T> topic, SignalJobConfig config) {
        return Connectors.kafkaSource(connection, topic, config.groupId());
    }

    private static <T> WatermarkStrategy<T> eventTime(
            SignalJobConfig config, SerializableTimestampAssigner<T> timestamp) {
        return WatermarkStrategy.<T>forBoundedOutOfOrderness(config.outOfOrderness())
                .withTimestampAssigner(timestamp)
                .withIdleness(config.sourceIdleTimeout());
    }

    private static void toKafka(
            SignalTopology.Outputs outputs, ClusterConnection connection, SignalJobConfig config) {
        String prefix = config.transactionalIdPrefix();
        var timeout = config.transactionTimeout();
        var guarantee = config.deliveryGuarantee();
        outputs.signals()
                .sinkTo(
                        Connectors.kafkaSink(
                                connection,
                                Topics.ZO_SIGNALS,
                                s -> s.getAdapterName(),
                                guarantee,
                                prefix,
                                timeout))
                .name("zo-signals")
                .uid("sink-zo-signals");
        outputs.forwardForward()
                .sinkTo(
                        Connectors.kafkaSink(
                                connection,
                                Topics.FF_EXAMPLES,
                                e -> e.getAdapterName(),
                                guarantee,
                                prefix,
                                timeout))
                .name("ff-examples")
                .uid("sink-ff-examples");
        outputs.holdout()
                .sinkTo(
                        Connectors.kafkaSink(
                                connection,
                                Topics.HOLDOUT,
                                e -> e.getRequestId(),
                                guarantee,
                                prefix,
                                timeout))
                .name("holdout")
                .uid("sink-holdout");
        outputs.deadLetters()
                .sinkTo(
                        Connectors.kafkaSink(
                                connection,
                                Topics.DEAD_LETTERS,
                                SignalJob::deadLetterKey,
                                guarantee,
                                prefix,
                                timeout))
                .name("dead-letters")
                .uid("sink-dead-letters");
    }

    // dead letters are keyed like the feedback they refuse: by request id
    private static String deadLetterKey(DeadLetter letter) {
        ByteBuffer key = letter.getOriginalKey();
        return key == null ? "" : StandardCharsets.UTF_8.decode(key.duplicate()).toString();
    }

    private static void toFiles(SignalTopology.Outputs outputs, Path directory) {
        outputs.signals()
                .sinkTo(Connectors.jsonlSink(directory.resolve(Topics.ZO_SIGNALS.name())))
                .name("zo-signals files");
        outputs.forwardForward()
                .sinkTo(Connectors.jsonlSink(directory.resolve(Topics.FF_EXAMPLES.name())))
                .name("ff-examples files");
        outputs.holdout()
                .sinkTo(Connectors.jsonlSink(directory.resolve(Topics.HOLDOUT.name())))
                .name("holdout files");
        outputs.deadLetters()
                .sinkTo(Connectors.jsonlSink(directory.resolve(Topics.DEAD_LETTERS.name())))
                .name("dead-letters files");
    }
}
