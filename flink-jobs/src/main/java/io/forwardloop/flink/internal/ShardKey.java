package io.forwardloop.flink.internal;

import io.forwardloop.schemas.avro.LabeledExample;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The key of the signal operator: {@code adapter#shard}, the shard a stable hash of the request id
 * modulo {@code parallelShards}, so several subtasks serve the same adapter on different batches.
 */
public final class ShardKey implements KeySelector<LabeledExample, String> {
    private static final char SEPARATOR = '#';

    private final int shards;

    public ShardKey(int shards) {
        this.shards = shards;
    }

    @Override
    public String getKey(LabeledExample example) {
        int shard = Hashing.shardOf(example.getRequestId(), shards);
        return example.getAdapterName() + SEPARATOR + shard;
    }

    /** The adapter name of a shard key. */
    public static String adapterOf(String shardKey) {
        return shardKey.substring(0, shardKey.lastIndexOf(SEPARATOR));
    }
}
