package io.forwardloop.flink;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
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
    private static final long PROGRESS_INTERVAL_MS = 500;

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
     * @return the job's counts, keyed as in {@link RunningSignalJob#counts()}
     */
    public static Map<String, Long> replay(SignalJobConfig config, HistoricalFiles files) {
        return replay(config, files, counts -> {});
    }

    /**
     * Runs the bounded job over {@code files} on a local MiniCluster until it ends, passing its
     * counts to {@code progress} about twice a second while it runs and once at the end. When
     * {@code progress} throws, or the thread is interrupted, the job is cancelled.
     *
     * @return the job's counts, keyed as in {@link RunningSignalJob#counts()}
     */
    public static Map<String, Long> replay(
            SignalJobConfig config, HistoricalFiles files, Consumer<Map<String, Long>> progress) {
        StreamExecutionEnvironment env = local(config);
        SignalJob.buildBatch(env, config, files);
        JobClient client;
        try {
            client = env.executeAsync(config.jobName() + "-replay");
        } catch (Exception e) {
            throw new SignalJobException("signal replay failed to start: " + e.getMessage(), e);
        }
        try {
            Map<String, Long> counts = follow(client, progress);
            LOG.info("Signal replay finished: {}", RunningSignalJob.line(counts));
            return counts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel(client);
            throw new SignalJobException("signal replay interrupted; job cancelled", e);
        } catch (ExecutionException e) {
            throw new SignalJobException("signal replay failed: " + e.getCause().getMessage(), e);
        } catch (RuntimeException e) {
            cancel(client);
            throw e;
        }
    }

    private static Map<String, Long> follow(JobClient client, Consumer<Map<String, Long>> progress)
            throws InterruptedException, ExecutionException {
        CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
        while (true) {
            try {
                JobExecutionResult done = result.get(PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS);
                Map<String, Long> counts = RunningSignalJob.select(done.getAllAccumulatorResults());
                progress.accept(counts);
                return counts;
            } catch (TimeoutException e) {
                runningCounts(client).ifPresent(progress);
            }
        }
    }

    // the counts of a running job; none while it is being scheduled, or once it has ended and its
    // local cluster is shutting down
    private static Optional<Map<String, Long>> runningCounts(JobClient client)
            throws InterruptedException {
        try {
            return Optional.of(
                    RunningSignalJob.select(
                            client.getAccumulators()
                                    .get(PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS)));
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            LOG.trace("No counts of the replay now", e);
            return Optional.empty();
        }
    }

    private static void cancel(JobClient client) {
        try {
            client.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.info("Signal replay {} had ended before it was cancelled", client.getJobID());
            LOG.trace("Cancel failed", e);
        }
    }

    private static StreamExecutionEnvironment local(SignalJobConfig config) {
        return StreamExecutionEnvironment.createLocalEnvironment(
                config.parallelism(), new Configuration());
    }
}
