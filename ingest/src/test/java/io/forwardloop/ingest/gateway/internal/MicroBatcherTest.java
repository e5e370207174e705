package io.forwardloop.ingest.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.ingest.adapters.AdapterRegistry;
import io.forwardloop.ingest.encoder.EncoderException;
import io.forwardloop.ingest.gateway.GatewayTesting.ControlledEncoder;
import io.forwardloop.ingest.gateway.Prediction;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Micro-batching on the real encoder and ONNX Runtime adapters, with a gate in front of the encoder
 * that decides when a batch may run, so batch composition is known without timing.
 */
class MicroBatcherTest {
    private static final List<String> LABELS = List.of("negative", "positive");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ControlledEncoder encoder = new ControlledEncoder();
    private AdapterRegistry adapters;
    private MicroBatcher batcher;

    @BeforeEach
    void createAdapters() {
        adapters = new AdapterRegistry(384, Map.of("sentiment", LABELS), 1, meters);
        adapters.seed("sentiment", AdapterSpec.lowRankClassifier(384, 4, LABELS).build(), 1L);
    }

    @AfterEach
    void close() {
        encoder.open();
        if (batcher != null) {
            batcher.close();
        }
        adapters.close();
    }

    @Test
    void shouldScoreConcurrentRequestsInBatchesOfAtMostTheMaximumSize() throws Exception {
        batcher = batcher(4, 0, 64);
        encoder.shut();
        CompletableFuture<Prediction> blocker = batcher.submit("r0", "sentiment", "first text");
        encoder.awaitCall();

        ExecutorService clients = Executors.newFixedThreadPool(5);
        List<Future<CompletableFuture<Prediction>>> submitted = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String id = "r" + i;
            submitted.add(clients.submit(() -> batcher.submit(id, "sentiment", "text " + id)));
        }
        Awaitility.await().until(() -> batcher.queued() == 10);
        encoder.open();

        blocker.get(30, TimeUnit.SECONDS);
        for (Future<CompletableFuture<Prediction>> request : submitted) {
            assertThat(request.get().get(30, TimeUnit.SECONDS).adapter().labels())
                    .isEqualTo(LABELS);
        }
        clients.shutdown();
        assertThat(encoder.batchSizes).containsExactly(1, 4, 4, 2);
        DistributionSummary sizes = meters.get("gateway.batch.size").summary();
        assertThat(sizes.count()).isEqualTo(4);
        assertThat(sizes.max()).isEqualTo(4.0);
        assertThat(sizes.totalAmount()).isEqualTo(11.0);
    }

    @Test
    void shouldScoreALoneTextWithoutWaitingForTheBatchToFill() throws Exception {
        batcher = batcher(32, 50, 64);

        Prediction prediction =
                batcher.submit("r1", "sentiment", "all alone").get(30, TimeUnit.SECONDS);

        assertThat(prediction.requestId()).isEqualTo("r1");
        assertThat(encoder.batchSizes).containsExactly(1);
        assertThat(meters.get("gateway.batch.size").summary().max()).isEqualTo(1.0);
    }

    @Test
    void shouldFailOnlyTheTextTheEncoderFailsOnAndAnswerTheRestOfItsBatch() throws Exception {
        batcher = batcher(4, 0, 64);
        encoder.shut();
        CompletableFuture<Prediction> blocker = batcher.submit("r0", "sentiment", "first text");
        encoder.awaitCall();
        CompletableFuture<Prediction> before = batcher.submit("r1", "sentiment", "a good text");
        CompletableFuture<Prediction> poison =
                batcher.submit("r2", "sentiment", ControlledEncoder.POISON);
        CompletableFuture<Prediction> after = batcher.submit("r3", "sentiment", "another one");
        encoder.open();

        blocker.get(30, TimeUnit.SECONDS);
        assertThat(before.get(30, TimeUnit.SECONDS).requestId()).isEqualTo("r1");
        assertThat(after.get(30, TimeUnit.SECONDS).requestId()).isEqualTo("r3");
        assertThatThrownBy(() -> poison.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(EncoderException.class)
                .hasMessageContaining("poison");
        assertThat(encoder.batchSizes).containsExactly(1, 3, 1, 1, 1);
        assertThat(meters.get("gateway.batch.retried").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldQueueARequestWholeOrNotAtAll() throws Exception {
        batcher = batcher(4, 0, 3);
        encoder.shut();
        CompletableFuture<Prediction> blocker = batcher.submit("r0", "sentiment", "first text");
        encoder.awaitCall();
        List<CompletableFuture<Prediction>> two =
                batcher.submitAll(List.of("r1", "r2"), "sentiment", List.of("one", "two"));

        assertThatThrownBy(
                        () ->
                                batcher.submitAll(
                                        List.of("r3", "r4"), "sentiment", List.of("three", "four")))
                .isInstanceOf(MicroBatcher.OverloadedException.class)
                .hasMessageContaining("2 texts are waiting")
                .hasMessageContaining("brings 2")
                .hasMessageContaining("gateway.queue.max.texts");
        assertThat(batcher.queued()).isEqualTo(2);
        CompletableFuture<Prediction> one = batcher.submit("r5", "sentiment", "five");
        assertThat(batcher.queued()).isEqualTo(3);
        encoder.open();

        blocker.get(30, TimeUnit.SECONDS);
        assertThat(two.get(1).get(30, TimeUnit.SECONDS).requestId()).isEqualTo("r2");
        assertThat(one.get(30, TimeUnit.SECONDS).requestId()).isEqualTo("r5");
        assertThat(encoder.batchSizes).containsExactly(1, 3);
        assertThat(batcher.queued()).isZero();
    }

    private MicroBatcher batcher(int maxSize, long maxWaitMs, int queueCapacity) {
        return new MicroBatcher(encoder, adapters, maxSize, maxWaitMs, 1, queueCapacity, meters);
    }
}
