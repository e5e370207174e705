package io.forwardloop.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.ingest.adapters.AdapterArtifact;
import io.forwardloop.ingest.adapters.AdapterRefusedException;
import io.forwardloop.ingest.adapters.ServedAdapter;
import io.forwardloop.ingest.adapters.internal.ArtifactDecoder;
import io.forwardloop.ingest.gateway.GatewayTesting.Answer;
import java.util.ArrayList;
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
import org.junit.jupiter.api.Test;

/** Adapter versions swap under concurrent load without a failed request. */
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

            List<ServedAdapter> replaced = new ArrayList<>();
            for (int version = 1; version <= 30; version++) {
                replaced.add(gateway.adapters().current("sentiment").orElseThrow());
                gateway.adapters().offer(artifact(version));
                if (version == 15) {
                    refuseCorrupt(gateway);
                }
                Thread.sleep(5);
            }
            while (answered.get() < 60) {
                Thread.sleep(10);
            }
            running.set(false);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }
            clients.shutdown();

            assertThat(failures).isEmpty();
            assertThat(versionsSeen).isNotEmpty().allMatch(v -> v >= 0 && v <= 30);
            assertThat(gateway.adapters().current("sentiment").orElseThrow().version())
                    .isEqualTo(30);
            assertThat(replaced).allMatch(ServedAdapter::isClosed);
        }
    }

    private static void refuseCorrupt(Gateway gateway) {
        byte[] bytes = OnnxAdapterFile.toBytes(GatewayTesting.trained(SPEC, 99L), 99, 1);
        bytes[bytes.length - 9] ^= 0x7f;
        AdapterArtifact artifact =
                new AdapterArtifact("sentiment", 99, "ab".repeat(32), bytes, SPEC, "test");
        try {
            gateway.adapters().offer(artifact);
            throw new AssertionError("a corrupt artifact was served");
        } catch (AdapterRefusedException e) {
            assertThat(gateway.adapters().current("sentiment").orElseThrow().version())
                    .isEqualTo(15);
        }
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
        return new AdapterArtifact(
                "sentiment", version, ArtifactDecoder.sha256(bytes), bytes, SPEC, "test");
    }
}
