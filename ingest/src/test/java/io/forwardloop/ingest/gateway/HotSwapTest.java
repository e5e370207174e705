package io.forwardloop.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.ingest.adapters.AdapterArtifact;
import io.forwardloop.ingest.adapters.AdapterRefusedException;
import io.forwardloop.ingest.adapters.AdapterRefusedException.Reason;
import io.forwardloop.ingest.adapters.ServedAdapter;
import io.forwardloop.ingest.adapters.internal.ArtifactDecoder;
import io.forwardloop.ingest.gateway.GatewayTesting.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Adapter versions swap under concurrent load without a failed request: every version answers
 * requests while clients keep sending, and bad versions offered meanwhile are refused.
 */
class HotSwapTest {
    private static final AdapterSpec SPEC =
            AdapterSpec.lowRankClassifier(384, 4, List.of("negative", "positive")).build();

    @Test
    void shouldSwapVersionsUnderConcurrentLoadWithoutFailingARequest() throws Exception {
        Map<String, Object> config =
                Map.of(
                        GatewayConfig.HTTP_PORT, 0,
                        GatewayConfig.HTTP_HOST, "127.0.0.1",
                        GatewayConfig.ADAPTERS, "sentiment:negative|positive");
        try (Gateway gateway =
                Gateway.builder()
                        .config(config)
                        .encoder(GatewayTesting.encoder())
                        .recordLog(new GatewayTesting.CapturingLog())
                        .build()
                        .start()) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            Set<Long> versionsSeen = ConcurrentHashMap.newKeySet();
            List<String> failures = new ArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                load.add(
                        clients.submit(
                                () ->
                                        predictUntilStopped(
                                                gateway,
                                                running,
                                                answered,
                                                versionsSeen,
                                                failures)));
            }

            // every version, the seeded one included, answers requests before the next replaces it
            List<ServedAdapter> replaced = new ArrayList<>();
            awaitSeen(versionsSeen, 0);
            for (int version = 1; version <= 30; version++) {
                replaced.add(gateway.adapters().current("sentiment").orElseThrow());
                gateway.adapters().offer(artifact(version));
                if (version == 15) {
                    refuseCorrupt(gateway);
                }
                awaitSeen(versionsSeen, version);
            }
            running.set(false);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }
            clients.shutdown();

            assertThat(failures).isEmpty();
            assertThat(versionsSeen)
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.rangeClosed(0, 30).boxed().toList());
            assertThat(answered.get()).isGreaterThanOrEqualTo(31);
            assertThat(gateway.adapters().current("sentiment").orElseThrow().version())
                    .isEqualTo(30);
            assertThat(replaced).allMatch(ServedAdapter::isClosed);
            assertThat(refusals(gateway, Reason.INVALID_FILE)).isEqualTo(2.0);
            assertThat(refusals(gateway, Reason.HASH_MISMATCH)).isEqualTo(1.0);
        }
    }

    private static void awaitSeen(Set<Long> versionsSeen, long version) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> versionsSeen.contains(version));
    }

    /**
     * Offers three bad versions while version 15 serves: a wrong hash, a truncated file under its
     * own correct hash, and a well-formed file with a NaN weight under its correct hash. Each is
     * refused for its own reason, and version 15 keeps serving.
     */
    private static void refuseCorrupt(Gateway gateway) {
        byte[] good = OnnxAdapterFile.toBytes(GatewayTesting.trained(SPEC, 99L), 99, 1);
        byte[] truncated = Arrays.copyOf(good, good.length - 64);
        AdapterParameters nonFinite = GatewayTesting.trained(SPEC, 98L);
        nonFinite.data(AdapterSpec.LORA_UP)[3] = Float.NaN;
        byte[] withNaN = OnnxAdapterFile.toBytes(nonFinite, 98, 1);

        assertRefused(gateway, artifact(99, good, "ab".repeat(32)), Reason.HASH_MISMATCH, "SHA");
        assertRefused(
                gateway,
                artifact(99, truncated, ArtifactDecoder.sha256(truncated)),
                Reason.INVALID_FILE,
                "");
        assertRefused(
                gateway,
                artifact(98, withNaN, ArtifactDecoder.sha256(withNaN)),
                Reason.INVALID_FILE,
                "finite");
    }

    private static void assertRefused(
            Gateway gateway, AdapterArtifact artifact, Reason reason, String message) {
        assertThatThrownBy(() -> gateway.adapters().offer(artifact))
                .isInstanceOf(AdapterRefusedException.class)
                .hasMessageContaining(message)
                .satisfies(
                        e -> assertThat(((AdapterRefusedException) e).reason()).isEqualTo(reason));
        assertThat(gateway.adapters().current("sentiment").orElseThrow().version()).isEqualTo(15);
    }

    private static double refusals(Gateway gateway, Reason reason) {
        return gateway.meters()
                .counter("adapter.reload.refused", "adapter", "sentiment", "reason", reason.tag())
                .count();
    }

    private static void predictUntilStopped(
            Gateway gateway,
            AtomicBoolean running,
            AtomicInteger answered,
            Set<Long> versionsSeen,
            List<String> failures) {
        while (running.get()) {
            Answer answer =
                    GatewayTesting.postJson(
                            gateway.url() + "/v1/predict",
                            Map.of(
                                    "adapter",
                                    "sentiment",
                                    "texts",
                                    List.of("one text", "another one")));
            if (answer.status() != 200) {
                synchronized (failures) {
                    failures.add(answer.raw());
                }
                continue;
            }
            answer.body()
                    .get("predictions")
                    .forEach(p -> versionsSeen.add(p.get("adapter").get("version").asLong()));
            answered.incrementAndGet();
        }
    }

    private static AdapterArtifact artifact(long version) {
        byte[] bytes =
                OnnxAdapterFile.toBytes(GatewayTesting.trained(SPEC, version), (int) version, 1);
        return artifact(version, bytes, ArtifactDecoder.sha256(bytes));
    }

    private static AdapterArtifact artifact(long version, byte[] bytes, String sha256) {
        return new AdapterArtifact("sentiment", version, sha256, bytes, SPEC, "test");
    }
}
