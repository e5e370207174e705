package io.forwardloop.ingest.gateway.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent requests feedback may refer to: bounded in size (the oldest go first) and in time (an
 * entry older than the time to live is gone).
 */
public final class RequestCache {
    private final int maxSize;
    private final long ttlMs;
    private final LinkedHashMap<String, Entry> entries;

    /** What feedback needs to know about a served request. */
    public record Entry(
            String adapter,
            long adapterVersion,
            List<String> labels,
            String predictedLabel,
            long servedAtMs,
            Set<String> feedbackIds) {

        /** Records a feedback id; false if it was recorded before. */
        public boolean addFeedback(String feedbackId) {
            return feedbackIds.add(feedbackId);
        }
    }

    /** The outcome of a lookup. */
    public enum Lookup {
        FOUND,
        EXPIRED,
        UNKNOWN
    }

    public RequestCache(int maxSize, long ttlMs) {
        this.maxSize = maxSize;
        this.ttlMs = ttlMs;
        this.entries =
                new LinkedHashMap<>(16, 0.75f, false) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                        return size() > RequestCache.this.maxSize;
                    }
                };
    }

    /** Remembers a served request. */
    public synchronized void put(
            String requestId,
            String adapter,
            long adapterVersion,
            List<String> labels,
            String predictedLabel,
            long servedAtMs) {
        entries.put(
                requestId,
                new Entry(
                        adapter,
                        adapterVersion,
                        labels,
                        predictedLabel,
                        servedAtMs,
                        ConcurrentHashMap.newKeySet()));
    }

    /** The entry of {@code requestId} if it is held and younger than the time to live. */
    public synchronized Entry get(String requestId, long nowMs) {
        Entry entry = entries.get(requestId);
        if (entry != null && nowMs - entry.servedAtMs() > ttlMs) {
            entries.remove(requestId);
            return null;
        }
        return entry;
    }

    /**
     * Why {@code requestId} is not held: {@link Lookup#EXPIRED} for an id this kind of gateway
     * issued in the past (outlived its time to live or pushed out by newer ones), {@link
     * Lookup#UNKNOWN} otherwise.
     */
    public Lookup missing(String requestId, long nowMs) {
        long issued = RequestIds.issuedAtMs(requestId);
        return issued >= 0 && issued <= nowMs ? Lookup.EXPIRED : Lookup.UNKNOWN;
    }

    /** How many entries are held. */
    public synchronized int size() {
        return entries.size();
    }
}
