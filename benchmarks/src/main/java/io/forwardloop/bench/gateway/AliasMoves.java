package io.forwardloop.bench.gateway;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.gateway.Gateway;
import io.forwardloop.ingest.gateway.GatewayConfig;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.bench.ServingObserver;
import io.forwardloop.registry.client.RegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Times an alias move end to end: promote in a live model registry, the event through the outbox
 * and {@code adapter-events}, the gateway's fetch by SHA-256, verification and swap, until the
 * gateway serves the promoted version. The first {@value #WARM_UP_MOVES} moves are not timed.
 */
public final class AliasMoves {
    private static final String ADAPTER = "moves";
    private static final String ALIAS = "serving";
    private static final List<String> LABELS = List.of("negative", "positive");
    private static final int WARM_UP_MOVES = 4;

    /** Latency percentiles of the measured moves, in milliseconds. */
    public record Result(int moves, double p50Ms, double p99Ms, double maxMs) {}

    private AliasMoves() {}

    /** Runs a registry and a gateway following it on {@code platform} and times {@code moves}. */
    public static Result measure(EmbeddedPlatform platform, Encoder encoder, Path dir, int moves) {
        String token = UUID.randomUUID().toString();
        try (ModelRegistryServer registry =
                ModelRegistryServer.builder()
                        .port(0)
                        .dataDir(dir.resolve("registry"))
                        .authToken(token)
                        .kafka(platform.connection().clientProperties())
                        .build()
                        .start()) {
            RegistryClient client =
                    RegistryClient.builder().url(registry.url()).token(token).build();
            long[] versions = publishTwo(client, encoder.dimension());
            try (Gateway gateway = gateway(platform, encoder, registry.url(), token);
                    ServingObserver observer = new GatewayObserver(gateway)) {
                return time(client, observer, versions, moves);
            }
        }
    }

    private static long[] publishTwo(RegistryClient client, int dim) {
        AdapterSpec spec = AdapterSpec.lowRankClassifier(dim, 8, LABELS).build();
        long[] versions = new long[2];
        for (int i = 0; i < 2; i++) {
            byte[] bytes = AdapterParameters.initialize(spec, 100 + i).toBytes();
            AdapterMetadata metadata =
                    new AdapterMetadata(
                            "LOW_RANK_CLASSIFIER",
                            "benchmark",
                            LABELS,
                            Map.of(),
                            Map.of("rank", 8),
                            null);
            versions[i] = client.publish(ADAPTER, bytes, metadata).version();
        }
        return versions;
    }

    private static Gateway gateway(
            EmbeddedPlatform platform, Encoder encoder, String registryUrl, String token) {
        Map<String, Object> config = new HashMap<>();
        config.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        config.put(GatewayConfig.HTTP_PORT, 0);
        config.put(GatewayConfig.ADAPTERS, ADAPTER + ":" + String.join("|", LABELS));
        config.put(GatewayConfig.ADAPTER_SOURCE, "registry");
        config.put(GatewayConfig.REGISTRY_URL, registryUrl);
        config.put(GatewayConfig.REGISTRY_TOKEN, token);
        config.put(ClusterConnection.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        config.put(ClusterConnection.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
        return Gateway.builder().config(config).encoder(encoder).build().start();
    }

    private static Result time(
            RegistryClient client, ServingObserver observer, long[] versions, int moves) {
        observer.prepare(ADAPTER, ALIAS);
        double[] latencies = new double[moves];
        for (int i = -WARM_UP_MOVES; i < moves; i++) {
            long target = versions[Math.floorMod(i, 2)];
            long start = System.nanoTime();
            client.promote(ADAPTER, ALIAS, target);
            observer.awaitVersion(ADAPTER, ALIAS, target, Duration.ofSeconds(30));
            if (i >= 0) {
                latencies[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(latencies);
        return new Result(
                moves,
                GatewayBenchmark.percentile(latencies, 0.50),
                GatewayBenchmark.percentile(latencies, 0.99),
                latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1]);
    }

    /**
     * Waits until the gateway's adapter registry serves the version: what the next request gets.
     */
    static final class GatewayObserver implements ServingObserver {
        private final Gateway gateway;

        GatewayObserver(Gateway gateway) {
            this.gateway = gateway;
        }

        @Override
        public void prepare(String adapter, String alias) {
            gateway.adapters().current(adapter).orElseThrow();
        }

        @Override
        public void awaitVersion(String adapter, String alias, long version, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (served(adapter) != version) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "gateway still serves `"
                                    + adapter
                                    + "` version "
                                    + served(adapter)
                                    + " "
                                    + timeout.toMillis()
                                    + " ms after "
                                    + alias
                                    + " moved to version "
                                    + version);
                }
                Thread.onSpinWait();
                sleepBriefly();
            }
        }

        private long served(String adapter) {
            return gateway.adapters().current(adapter).map(a -> a.version()).orElse(-1L);
        }

        private static void sleepBriefly() {
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a swap", e);
            }
        }

        @Override
        public void close() {}
    }
}
