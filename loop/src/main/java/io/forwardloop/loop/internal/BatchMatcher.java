package io.forwardloop.loop.internal;

import io.forwardloop.flink.internal.Hashing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds which requests a signal's mini-batch held, from its batch digest (the SHA-256 of the
 * batch's request ids, in order).
 *
 * <p>Requests are added per shard in the order the signal job sees them; a digest is matched
 * against the digests of consecutive runs of the requests not yet placed, within a bounded window
 * from the oldest. A fresh mini-batch is such a run, so it is found; a replay mini-batch is drawn
 * from requests already placed, so it is not, and stays unplaced (as do batches reordered between
 * the sources). Unplaced digests are retried whenever requests come or go, oldest first, and the
 * oldest are forgotten beyond a bound; a request is never placed in more than one batch.
 */
public final class BatchMatcher {
    private final int window;
    private final int maxUnplaced;
    private final List<List<String>> shards = new ArrayList<>();
    private final Map<String, Integer> unplaced = new LinkedHashMap<>();
    private final Map<String, String> batchOf = new HashMap<>();
    private final Set<String> placed = new HashSet<>();
    private long forgotten;
    private boolean changed;

    /**
     * @param shards signal shards per adapter
     * @param window how many of the oldest unplaced requests of a shard a run may start at
     * @param maxUnplaced unplaced digests kept for later attempts
     */
    public BatchMatcher(int shards, int window, int maxUnplaced) {
        for (int i = 0; i < shards; i++) {
            this.shards.add(new ArrayList<>());
        }
        this.window = window;
        this.maxUnplaced = maxUnplaced;
    }

    /** A request that will be trained on, in the order the signal job sees it. */
    public void addRequest(String requestId) {
        shards.get(Hashing.shardOf(requestId, shards.size())).add(requestId);
        changed = true;
    }

    /** A request that will not be trained on after all, such as dead-lettered feedback. */
    public void removeRequest(String requestId) {
        changed |= shards.get(Hashing.shardOf(requestId, shards.size())).remove(requestId);
    }

    /** A mini-batch digest of a signal, with the batch's size; seen digests are ignored. */
    public void addDigest(String digest, int size) {
        if (placed.contains(digest) || unplaced.containsKey(digest)) {
            return;
        }
        unplaced.put(digest, size);
        while (unplaced.size() > maxUnplaced) {
            Iterator<String> oldest = unplaced.keySet().iterator();
            oldest.next();
            oldest.remove();
            forgotten++;
        }
        changed = true;
    }

    /** Places what can be placed since the last call. */
    public void match() {
        if (!changed) {
            return;
        }
        changed = false;
        while (matchOne()) {
            // each match removes a run, which shifts the runs after it
        }
    }

    // the oldest unplaced digest that equals a run of some shard, placed
    private boolean matchOne() {
        Map<Integer, Map<String, int[]>> runs = new HashMap<>();
        for (Map.Entry<String, Integer> entry : unplaced.entrySet()) {
            int size = entry.getValue();
            int[] at = runs.computeIfAbsent(size, this::runsOfSize).get(entry.getKey());
            if (at != null) {
                List<String> run = shards.get(at[0]).subList(at[1], at[1] + size);
                run.forEach(id -> batchOf.put(id, entry.getKey()));
                run.clear();
                unplaced.remove(entry.getKey());
                placed.add(entry.getKey());
                return true;
            }
        }
        return false;
    }

    // digest of every run of this size within the window: shard and start
    private Map<String, int[]> runsOfSize(int size) {
        Map<String, int[]> runs = new HashMap<>();
        for (int s = 0; s < shards.size(); s++) {
            List<String> shard = shards.get(s);
            int last = Math.min(window, shard.size() - size);
            for (int start = 0; start <= last; start++) {
                runs.putIfAbsent(
                        Hashing.batchDigest(shard.subList(start, start + size)),
                        new int[] {s, start});
            }
        }
        return runs;
    }

    /** The digest of the batch that held {@code requestId}, once placed. */
    public Optional<String> batchOf(String requestId) {
        return Optional.ofNullable(batchOf.get(requestId));
    }

    /** Batches placed so far. */
    public long placedBatches() {
        return placed.size();
    }

    /** Digests not placed (replay batches, reordered batches), kept or forgotten. */
    public long unplacedBatches() {
        return unplaced.size() + forgotten;
    }
}
