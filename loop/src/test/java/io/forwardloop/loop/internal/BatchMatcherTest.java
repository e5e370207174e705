package io.forwardloop.loop.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.flink.internal.Hashing;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchMatcherTest {
    private static final List<String> IDS =
            IntStream.range(0, 12).mapToObj(i -> "req-" + i).toList();

    private final BatchMatcher matcher = new BatchMatcher(1, 256, 100);

    @Test
    void shouldPlaceFreshBatchesAndLeaveReplayBatchesUnplaced() {
        IDS.forEach(matcher::addRequest);
        matcher.addDigest(digest(0, 4), 4);
        // a replay batch: trained examples drawn out of order
        matcher.addDigest(Hashing.batchDigest(List.of("req-2", "req-0", "req-3", "req-1")), 4);
        matcher.addDigest(digest(4, 8), 4);
        matcher.match();

        assertThat(matcher.batchOf("req-1")).contains(digest(0, 4));
        assertThat(matcher.batchOf("req-6")).contains(digest(4, 8));
        assertThat(matcher.batchOf("req-9")).isEmpty();
        assertThat(matcher.placedBatches()).isEqualTo(2);
        assertThat(matcher.unplacedBatches()).isEqualTo(1);
    }

    @Test
    void shouldNeverMoveAPlacedRequestToAReplayBatchOfTheSameRun() {
        IDS.forEach(matcher::addRequest);
        matcher.addDigest(digest(0, 4), 4);
        matcher.match();
        // replayed in the same order: same digest, already placed
        matcher.addDigest(digest(0, 4), 4);
        // replayed across two fresh batches that are placed already
        matcher.addDigest(digest(4, 8), 4);
        matcher.addDigest(digest(2, 6), 4);
        matcher.match();

        assertThat(matcher.batchOf("req-3")).contains(digest(0, 4));
        assertThat(matcher.batchOf("req-4")).contains(digest(4, 8));
        assertThat(matcher.unplacedBatches()).isEqualTo(1);
    }

    @Test
    void shouldPlaceABatchOnceARequestItSkippedIsRemoved() {
        IDS.forEach(matcher::addRequest);
        // req-2 was dead-lettered late: the job's batch skips it
        List<String> batch = List.of("req-0", "req-1", "req-3", "req-4");
        matcher.addDigest(Hashing.batchDigest(batch), 4);
        matcher.match();
        assertThat(matcher.batchOf("req-0")).isEmpty();

        matcher.removeRequest("req-2");
        matcher.match();

        assertThat(matcher.batchOf("req-4")).contains(Hashing.batchDigest(batch));
    }

    @Test
    void shouldPlaceADigestThatCameBeforeItsRequests() {
        matcher.addDigest(digest(0, 4), 4);
        matcher.match();
        IDS.subList(0, 4).forEach(matcher::addRequest);
        matcher.match();

        assertThat(matcher.batchOf("req-0")).contains(digest(0, 4));
        assertThat(matcher.unplacedBatches()).isZero();
    }

    @Test
    void shouldForgetTheOldestUnplacedDigestsBeyondTheBound() {
        BatchMatcher small = new BatchMatcher(1, 256, 2);
        for (int i = 0; i < 5; i++) {
            small.addDigest("unknown-" + i, 4);
        }

        assertThat(small.unplacedBatches()).isEqualTo(5);
    }

    private static String digest(int from, int to) {
        return Hashing.batchDigest(IDS.subList(from, to));
    }
}
