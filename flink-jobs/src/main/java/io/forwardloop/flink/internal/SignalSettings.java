package io.forwardloop.flink.internal;

import java.io.Serializable;

/**
 * The settings the signal job's operators need, serializable so that they travel with the job.
 *
 * @param batchSize examples per zeroth-order mini-batch
 * @param seedsPerBatch perturbation seeds per mini-batch
 * @param epsilon perturbation scale
 * @param replayBufferSize examples kept per adapter shard for replay mini-batches
 * @param replayBatches replay mini-batches drawn after each fresh mini-batch; 0 for none
 * @param pendingBufferSize examples kept per adapter shard while they wait for a fresh mini-batch
 * @param parallelShards shards per adapter
 * @param feedbackWaitMs event-time wait of the join
 * @param stateTtlMs processing-time TTL of the join's per-request state
 * @param seenTtlMs processing-time TTL of the join's per-request marker
 * @param holdoutShare share of labeled examples held out
 */
public record SignalSettings(
        int batchSize,
        int seedsPerBatch,
        double epsilon,
        int replayBufferSize,
        int replayBatches,
        int pendingBufferSize,
        int parallelShards,
        long feedbackWaitMs,
        long stateTtlMs,
        long seenTtlMs,
        double holdoutShare)
        implements Serializable {}
