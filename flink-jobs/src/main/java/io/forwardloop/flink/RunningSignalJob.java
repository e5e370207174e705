package io.forwardloop.flink;

import io.forwardloop.flink.internal.JobCounter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * The counts of the summary line, in the order they are logged. Every feedback event is one of
     * joined, dead-lettered or duplicates; every joined one is held out, or reaches the signal
     * operator, where it is trained on, pending or dropped. Dead letters and drops are also counted
     * by reason. {@code steps-applied} counts each step of the log once (on subtask 0), though
     * every subtask applies it.
     */
    public static final List<String> COUNTS =
            List.of(
                    JobCounter.RECORDS_IN,
                    JobCounter.FEEDBACK_IN,
                    JobCounter.JOINED,
                    JobCounter.HELD_OUT,
                    JobCounter.DEAD_LETTERED,
                    JobCounter.DEAD_LETTERED_LATE,
                    JobCounter.DEAD_LETTERED_ORPHAN,
                    JobCounter.DEAD_LETTERED_UNKNOWN_LABEL,
                    JobCounter.DEAD_LETTERED_INVALID,
                    JobCounter.DUPLICATES,
                    JobCounter.EXAMPLES_TRAINED,
                    JobCounter.EXAMPLES_PENDING,
                    JobCounter.EXAMPLES_DROPPED,
                    JobCounter.EXAMPLES_DROPPED_NO_LABEL,
                    JobCounter.EXAMPLES_DROPPED_UNFIT,
                    JobCounter.EXAMPLES_DROPPED_OVERFLOW,
                    JobCounter.SIGNALS_OUT,
                    JobCounter.REPLAY_SIGNALS_OUT,
                    JobCounter.FF_EXAMPLES_OUT,
                    JobCounter.STEPS_APPLIED);

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

    /**
     * The job's counts so far, summed over its subtasks: those of {@link #COUNTS}, in that order,
     * then the per-adapter counts ({@code adapter.<name>.examples-trained}, {@code
     * adapter.<name>.examples-pending}).
     */
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

    /** The count {@code name} of {@code adapter} in {@code counts}; 0 when not counted yet. */
    public static long adapterCount(Map<String, Long> counts, String adapter, String name) {
        return counts.getOrDefault(JobCounter.perAdapter(adapter, name), 0L);
    }

    static Map<String, Long> select(Map<String, Object> accumulators) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String name : COUNTS) {
            Object value = accumulators.get(name);
            counts.put(name, value instanceof Number n ? n.longValue() : 0L);
        }
        new TreeMap<>(accumulators)
                .forEach(
                        (name, value) -> {
                            if (name.startsWith("adapter.") && value instanceof Number n) {
                                counts.put(name, n.longValue());
                            }
                        });
        return counts;
    }

    // the job-wide counts only; per-adapter counts would make the line grow with the adapters
    static String line(Map<String, Long> counts) {
        StringBuilder line = new StringBuilder();
        for (String name : COUNTS) {
            line.append(line.length() == 0 ? "" : ", ")
                    .append(name)
                    .append(' ')
                    .append(counts.getOrDefault(name, 0L));
        }
        return line.toString();
    }
}
