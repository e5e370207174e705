package io.forwardloop.trainer.internal;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The most recent signal ids, at most {@code capacity} of them, oldest evicted first: how the
 * trainer recognises a signal it has already applied when an at-least-once producer repeats it.
 * Capacity 0 remembers nothing. Not thread-safe.
 */
public final class RecentIds {
    // a LinkedHashSet entry, its table slot and a short String, on a 64-bit JVM
    private static final long BYTES_PER_ENTRY = 96;

    private final int capacity;
    private final LinkedHashSet<String> ids = new LinkedHashSet<>();
    private long characters;

    public RecentIds(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException(
                    "the dedupe window must hold >= 0 ids, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Remembers {@code id}, evicting the oldest when full.
     *
     * @return false when {@code id} is already remembered: a repeat
     */
    public boolean add(String id) {
        if (capacity == 0 || id == null) {
            return true;
        }
        if (!ids.add(id)) {
            return false;
        }
        characters += id.length();
        if (ids.size() > capacity) {
            Iterator<String> oldest = ids.iterator();
            characters -= oldest.next().length();
            oldest.remove();
        }
        return true;
    }

    /** Whether {@code id} is remembered. */
    public boolean contains(String id) {
        return ids.contains(id);
    }

    public int size() {
        return ids.size();
    }

    public int capacity() {
        return capacity;
    }

    /** An estimate of the heap the remembered ids hold, in bytes. */
    public long retainedBytes() {
        return ids.size() * BYTES_PER_ENTRY + characters;
    }
}
