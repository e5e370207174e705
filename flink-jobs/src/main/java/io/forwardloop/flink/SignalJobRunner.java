package io.forwardloop.flink;

import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the signal job: on a local MiniCluster in this JVM ({@link #start}, {@link #replay}) or in a
 * given environment ({@link #submit}).
 */
public final class SignalJobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SignalJobRunner.class);

    private SignalJobRunner() {}

    /** Starts the streaming job on a local MiniCluster and returns while it runs. */
    public static RunningSignalJob start(SignalJobConfig config) {
        return submit(local(config), config);
    }

    /** Submits the streaming job to {@code env} and returns while it runs. */
    public static RunningSignalJob submit(StreamExecutionEnvironment env, SignalJobConfig config) {
        SignalJob.build(env, config);
        try {
            JobClient client = env.executeAsync(config.jobName());
            LOG.info(
                    "Signal job {} started: {} with parallelism {}",
                    client.getJobID(),
                    config.connection(),
                    config.parallelism());
            return new RunningSignalJob(client, config.summaryInterval());
        } catch (Exception e) {
            throw new SignalJobException(
                    "cannot start signal job " + config.jobName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the bounded job over {@code files} on a local MiniCluster until it ends.
     *
     * @return the job's counts, keyed as in {@link RunningSignalJob#COUNTS}
     */
    public static Map<String, Long> replay(SignalJobConfig config, HistoricalFiles files) {
        StreamExecutionEnvironment env = local(config);
        SignalJob.buildBatch(env, config, files);
        try {
            JobExecutionResult result = env.execute(config.jobName() + "-replay");
            Map<String, Long> counts = RunningSignalJob.select(result.getAllAccumulatorResults());
            LOG.info("Signal replay finished: {}", RunningSignalJob.line(counts));
            return counts;
        } catch (Exception e) {
            throw new SignalJobException("signal replay failed: " + e.getMessage(), e);
        }
    }

    private static StreamExecutionEnvironment local(SignalJobConfig config) {
        return StreamExecutionEnvironment.createLocalEnvironment(
                config.parallelism(), new Configuration());
    }
}
