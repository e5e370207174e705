package io.forwardloop.ingest.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.ingest.gateway.Gateway;
import io.forwardloop.ingest.gateway.GatewayConfig;
import io.forwardloop.ingest.gateway.GatewayTesting;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.client.RegistryClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on a live model registry: versions published and promoted there are fetched, verified
 * and swapped in; a corrupt version is refused while the old one keeps serving; a rollback is
 * followed.
 */
class RegistryAdapterSourceIT {
    private static final List<String> LABELS = List.of("negative", "positive");
    private static final String ADAPTER = "sentiment";
    private static final String SERVING = "serving";

    @TempDir Path dir;
    private EmbeddedPlatform platform;
    private ModelRegistryServer registry;
    private RegistryClient client;
    private AdapterSpec spec;

    @BeforeEach
    void startPlatformAndRegistry() {
        platform = EmbeddedPlatform.builder().dataDir(dir.resolve("platform")).build().start();
        String token = UUID.randomUUID().toString();
        registry =
                ModelRegistryServer.builder()
                        .port(0)
                        .dataDir(dir.resolve("registry"))
                        .authToken(token)
                        .kafka(platform.connection().clientProperties())
                        .build()
                        .start();
        client = RegistryClient.builder().url(registry.url()).token(token).build();
        int dim = GatewayTesting.encoder().dimension();
        spec = AdapterSpec.lowRankClassifier(dim, 8, LABELS).build();
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void shouldServePromotedVersionsRefuseCorruptOneAndFollowRollback() {
        long first = publish(adapterFile(1), 1);
        client.promote(ADAPTER, SERVING, first);

        try (Gateway gateway = gateway()) {
            // the version the alias points to at start is served before start returns
            assertThat(servedVersion(gateway)).isEqualTo(first);
            assertThat(predictedVersion(gateway)).isEqualTo(first);

            // a promotion reaches the gateway through adapter-events; parameters carry their spec
            long second = publish(GatewayTesting.trained(spec, 2).toBytes(), 2);
            client.promote(ADAPTER, SERVING, second);
            awaitServed(gateway, second);
            assertThat(predictedVersion(gateway)).isEqualTo(second);

            // a version that fails verification is refused and counted; the old one keeps serving
            long corrupt = publish(nonFinite(3), 3);
            client.promote(ADAPTER, SERVING, corrupt);
            await().atMost(Duration.ofSeconds(30)).until(() -> refusals(gateway) >= 1);
            assertThat(servedVersion(gateway)).isEqualTo(second);
            assertThat(predictedVersion(gateway)).isEqualTo(second);

            // rolling back past the corrupt version lands on the second, then the first
            client.rollback(ADAPTER, SERVING);
            assertThat(client.alias(ADAPTER, SERVING).version()).isEqualTo(second);
            client.promote(ADAPTER, SERVING, first);
            awaitServed(gateway, first);
            client.rollback(ADAPTER, SERVING);
            awaitServed(gateway, second);
            assertThat(predictedVersion(gateway)).isEqualTo(second);
            assertThat(refusals(gateway)).isEqualTo(1.0);
        }
    }

    @Test
    void shouldPickUpFirstPromotionAfterStartingWithoutAlias() {
        try (Gateway gateway = gateway()) {
            assertThat(servedVersion(gateway)).isZero();

            long first = publish(adapterFile(5), 1);
            client.promote(ADAPTER, SERVING, first);

            awaitServed(gateway, first);
            assertThat(predictedVersion(gateway)).isEqualTo(first);
        }
    }

    @Test
    void shouldStartOnCurrentVersionWithoutReplayingHistoricalMoves() {
        long first = publish(adapterFile(1), 1);
        long second = publish(adapterFile(2), 2);
        for (long version : new long[] {first, second, first, second}) {
            client.promote(ADAPTER, SERVING, version);
        }

        try (Gateway gateway = gateway()) {
            assertThat(servedVersion(gateway)).isEqualTo(second);
            client.promote(ADAPTER, SERVING, first);
            awaitServed(gateway, first);

            // the start delivered the current version, the follower only the new move
            assertThat(count(gateway, "adapter.reload")).isEqualTo(2.0);
        }
    }

    private Gateway gateway() {
        Map<String, Object> config = new HashMap<>();
        config.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        config.put(GatewayConfig.HTTP_PORT, 0);
        config.put(GatewayConfig.ADAPTERS, ADAPTER + ":" + String.join("|", LABELS));
        config.put(GatewayConfig.ADAPTER_SOURCE, "registry");
        config.put(GatewayConfig.REGISTRY_URL, registry.url());
        config.put(GatewayConfig.REGISTRY_TOKEN, registry.config().authToken());
        config.put(ClusterConnection.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        config.put(ClusterConnection.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
        return Gateway.builder().config(config).encoder(GatewayTesting.encoder()).build().start();
    }

    private long publish(byte[] artifact, int seed) {
        AdapterMetadata metadata =
                new AdapterMetadata(
                        "LOW_RANK_CLASSIFIER",
                        GatewayTesting.encoder().id().id(),
                        LABELS,
                        Map.of("accuracy", 0.5),
                        Map.of("rank", 8, "seed", seed),
                        null);
        return client.publish(ADAPTER, artifact, metadata).version();
    }

    private byte[] adapterFile(long seed) {
        return OnnxAdapterFile.toBytes(GatewayTesting.trained(spec, seed), 1, 1);
    }

    /** A well-formed adapter file with a NaN weight: the registry stores it, verify refuses it. */
    private byte[] nonFinite(long seed) {
        AdapterParameters params = GatewayTesting.trained(spec, seed);
        params.data(0)[0] = Float.NaN;
        return OnnxAdapterFile.toBytes(params, 1, 1);
    }

    private static long servedVersion(Gateway gateway) {
        return gateway.adapters().current(ADAPTER).orElseThrow().version();
    }

    private static void awaitServed(Gateway gateway, long version) {
        await().atMost(Duration.ofSeconds(30)).until(() -> servedVersion(gateway) == version);
    }

    private static long predictedVersion(Gateway gateway) {
        GatewayTesting.Answer answer =
                GatewayTesting.postJson(
                        gateway.url() + "/v1/predict",
                        Map.of("adapter", ADAPTER, "text", "The food was delicious"));
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        return answer.body().path("adapter").path("version").asLong();
    }

    private static double refusals(Gateway gateway) {
        return count(gateway, "adapter.reload.refused");
    }

    private static double count(Gateway gateway, String counter) {
        return gateway.meters().find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
