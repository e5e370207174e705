package io.forwardloop.flink;

import io.forwardloop.flink.internal.JobCounter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A submitted signal job: its id, its counts, and a summary line at INFO every {@code
 * job.summary.interval.ms}; {@link #close()} cancels it.
 */
public final class RunningSignalJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningSignalJob.class);

    /** The counts of the summary line, in the order they are logged. */
    public static final List<String> COUNTS =
            List.of(
                    JobCounter.RECORDS_IN,
                    JobCounter.FEEDBACK_IN,
                    JobCounter.JOINED,
                    JobCounter.HELD_OUT,
                    JobCounter.SIGNALS_OUT,
                    JobCounter.FF_EXAMPLES_OUT,
                    JobCounter.DEAD_LETTERED,
                    JobCounter.DUPLICATES,
                    JobCounter.STEPS_APPLIED,
                    JobCounter.EXAMPLES_DROPPED);

    private final JobClient client;
    private final ScheduledExecutorService summary;

    RunningSignalJob(JobClient client, Duration summaryInterval) {
        this.client = client;
        this.summary =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread thread = new Thread(r, "signal-job-summary");
                            thread.setDaemon(true);
                            return thread;
                        });
        long interval = summaryInterval.toMillis();
        summary.scheduleAtFixedRate(this::logSummary, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** The Flink job id. */
    public JobID jobId() {
        return client.getJobID();
    }

    /** The job's counts so far, summed over its subtasks, keyed as in {@link #COUNTS}. */
    public Map<String, Long> counts() {
        try {
            return select(client.getAccumulators().get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new SignalJobException("cannot read the counts of job " + jobId(), e);
        }
    }

    /** Waits until the job ends, e.g. after a failure past its restart attempts. */
    public void awaitTermination() {
        try {
            client.getJobExecutionResult().get();
        } catch (Exception e) {
            throw new SignalJobException("signal job " + jobId() + " failed", e);
        }
    }

    /** Cancels the job and stops the summary. */
    @Override
    public void close() {
        summary.shutdownNow();
        try {
            client.cancel().get(30, TimeUnit.SECONDS);
            LOG.info("Signal job {} cancelled; {}", jobId(), line(counts()));
        } catch (Exception e) {
            LOG.info("Signal job {} had ended before it was cancelled: {}", jobId(), e.toString());
        }
    }

    private void logSummary() {
        try {
            LOG.info("Signal job {}: {}", jobId(), line(counts()));
        } catch (RuntimeException e) {
            LOG.info("Signal job {}: no summary: {}", jobId(), e.getMessage());
            LOG.trace("Summary failed", e);
        }
    }

    static Map<String, Long> select(Map<String, Object> accumulators) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String name : COUNTS) {
            Object value = accumulators.get(name);
            counts.put(name, value instanceof Number n ? n.longValue() : 0L);
        }
        return counts;
    }

    static String line(Map<String, Long> counts) {
        StringBuilder line = new StringBuilder();
        counts.forEach(
                (k, v) ->
                        line.append(line.length() == 0 ? "" : ", ")
                                .append(k)
                                .append(' ')
                                .append(v));
        return line.toString();
    }
}
