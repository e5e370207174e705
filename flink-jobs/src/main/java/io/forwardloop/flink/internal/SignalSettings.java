package io.forwardloop.flink.internal;

import java.io.Serializable;

/**
 * The settings the signal job's operators need, serializable so that they travel with the job.
 *
 * @param batchSize examples per zeroth-order mini-batch
 * @param seedsPerBatch perturbation seeds per mini-batch
 * @param epsilon perturbation scale
 * @param replayBufferSize examples kept per adapter shard
 * @param parallelShards shards per adapter
 * @param feedbackWaitMs event-time wait of the join
 * @param stateTtlMs processing-time TTL of the join state
 * @param holdoutShare share of labeled examples held out
 */
public record SignalSettings(
        int batchSize,
        int seedsPerBatch,
        double epsilon,
        int replayBufferSize,
        int parallelShards,
        long feedbackWaitMs,
        long stateTtlMs,
        double holdoutShare)
        implements Serializable {}
