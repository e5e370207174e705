package io.forwardloop.ingest.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests are held for feedback within a time to live and a size bound. */
class RequestCacheTest {
    private static final List<String> LABELS = List.of("negative", "positive");

    @Test
    void shouldHoldARequestUntilItsTimeToLiveHasPassed() {
        RequestCache cache = new RequestCache(10, 1_000);
        String id = RequestIds.next(5_000);
        put(cache, id, 5_000);

        assertThat(cache.get(id, 6_000)).isNotNull();
        assertThat(cache.get(id, 6_001)).isNull();
        assertThat(cache.size()).isZero();
        assertThat(cache.missing(id, 6_001)).isEqualTo(RequestCache.Lookup.EXPIRED);
    }

    @Test
    void shouldPushOutTheOldestRequestsBeyondTheSizeBound() {
        RequestCache cache = new RequestCache(2, 60_000);
        String first = RequestIds.next(1_000);
        String second = RequestIds.next(1_001);
        String third = RequestIds.next(1_002);
        put(cache, first, 1_000);
        put(cache, second, 1_001);
        put(cache, third, 1_002);

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(first, 1_003)).isNull();
        assertThat(cache.missing(first, 1_003)).isEqualTo(RequestCache.Lookup.EXPIRED);
        assertThat(cache.get(second, 1_003)).isNotNull();
        assertThat(cache.get(third, 1_003).predictedLabel()).isEqualTo("positive");
    }

    @Test
    void shouldTellAnIdItNeverIssuedFromAnExpiredOne() {
        RequestCache cache = new RequestCache(2, 60_000);

        assertThat(cache.missing("not-a-request-id", 1_000)).isEqualTo(RequestCache.Lookup.UNKNOWN);
        assertThat(cache.missing(RequestIds.next(5_000), 1_000))
                .as("an id from the future")
                .isEqualTo(RequestCache.Lookup.UNKNOWN);
    }

    private static void put(RequestCache cache, String id, long servedAtMs) {
        cache.put(id, "sentiment", 1, LABELS, "positive", servedAtMs);
    }
}
