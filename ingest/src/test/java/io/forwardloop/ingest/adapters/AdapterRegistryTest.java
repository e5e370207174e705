package io.forwardloop.ingest.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.LowRankClassifier;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.ingest.adapters.internal.ArtifactDecoder;
import io.forwardloop.ingest.gateway.GatewayTesting;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verification before a swap, refusal of bad versions, and release of replaced ones. */
class AdapterRegistryTest {
    private static final List<String> LABELS = List.of("negative", "positive");
    private static final AdapterSpec SPEC = AdapterSpec.lowRankClassifier(384, 4, LABELS).build();
    private static final float[][] ACTIVATION = {new float[384]};

    private SimpleMeterRegistry meters;
    private AdapterRegistry registry;

    @BeforeEach
    void create() {
        meters = new SimpleMeterRegistry();
        registry = new AdapterRegistry(384, Map.of("sentiment", LABELS), 1, meters);
        registry.offer(artifact(1, GatewayTesting.trained(SPEC, 1L)));
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void shouldRefuseAnArtifactWhoseHashDiffersFromTheAnnouncedOne() {
        byte[] bytes = OnnxAdapterFile.toBytes(GatewayTesting.trained(SPEC, 2L), 2, 1);
        AdapterArtifact artifact =
                new AdapterArtifact("sentiment", 2, "00".repeat(32), bytes, SPEC, "test");

        assertRefused(artifact, AdapterRefusedException.Reason.HASH_MISMATCH, "not the announced");
    }

    @Test
    void shouldRefuseACorruptFileAndKeepServingTheOldVersion() {
        byte[] bytes = OnnxAdapterFile.toBytes(GatewayTesting.trained(SPEC, 2L), 2, 1);
        bytes[5] = 'X';

        assertRefused(
                artifact(2, bytes), AdapterRefusedException.Reason.INVALID_FILE, "adapter file");
        try (AdapterLease lease = registry.acquire("sentiment")) {
            assertThat(lease.score(ACTIVATION)[0]).hasSize(2);
        }
    }

    @Test
    void shouldRefuseAnAdapterWithNonFiniteWeights() {
        AdapterParameters params = GatewayTesting.trained(SPEC, 2L);
        params.data(AdapterSpec.CLASSIFIER_BIAS)[1] = Float.NaN;
        byte[] bytes = params.toBytes();
        AdapterArtifact artifact =
                new AdapterArtifact(
                        "sentiment", 2, ArtifactDecoder.sha256(bytes), bytes, null, "test");

        assertRefused(artifact, AdapterRefusedException.Reason.INVALID_FILE, "finite");
    }

    @Test
    void shouldRefuseADifferentLabelSet() {
        AdapterSpec other = AdapterSpec.lowRankClassifier(384, 4, List.of("neg", "pos")).build();
        byte[] bytes = OnnxAdapterFile.toBytes(GatewayTesting.trained(other, 2L), 2, 1);
        AdapterArtifact artifact =
                new AdapterArtifact(
                        "sentiment", 2, ArtifactDecoder.sha256(bytes), bytes, other, "test");

        assertRefused(artifact, AdapterRefusedException.Reason.LABEL_SET, "[neg, pos]");
    }

    @Test
    void shouldRefuseAnAdapterForAnotherActivationWidth() {
        AdapterSpec narrow = AdapterSpec.lowRankClassifier(128, 4, LABELS).build();
        byte[] bytes = GatewayTesting.trained(narrow, 2L).toBytes();
        AdapterArtifact artifact =
                new AdapterArtifact(
                        "sentiment", 2, ArtifactDecoder.sha256(bytes), bytes, null, "test");

        assertRefused(artifact, AdapterRefusedException.Reason.SPEC_MISMATCH, "width 128");
    }

    @Test
    void shouldServeSerialisedParametersThatCarryTheirSpec() {
        byte[] bytes = GatewayTesting.trained(SPEC, 5L).toBytes();

        ServedAdapter served =
                registry.offer(
                        new AdapterArtifact(
                                "sentiment",
                                5,
                                ArtifactDecoder.sha256(bytes),
                                bytes,
                                null,
                                "test"));

        assertThat(served.version()).isEqualTo(5);
        assertThat(registry.current("sentiment").orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void shouldCloseAReplacedVersionOnlyAfterItsLastLeaseIsReleased() {
        AdapterLease inFlight = registry.acquire("sentiment");
        ServedAdapter old = inFlight.adapter();

        registry.offer(artifact(2, GatewayTesting.trained(SPEC, 2L)));

        assertThat(old.isClosed()).isFalse();
        assertThat(inFlight.score(ACTIVATION)[0]).hasSize(2);
        inFlight.close();
        assertThat(old.isClosed()).isTrue();
        assertThat(registry.current("sentiment").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void shouldServeAdaptersOfOneShapeWithDifferentLabelNamesFromOneSession() {
        AdapterSpec spam = AdapterSpec.lowRankClassifier(384, 4, List.of("ham", "spam")).build();
        AdapterParameters spamParams = GatewayTesting.trained(spam, 3L);
        byte[] bytes = OnnxAdapterFile.toBytes(spamParams, 1, 1);
        registry.offer(
                new AdapterArtifact("spam", 1, ArtifactDecoder.sha256(bytes), bytes, spam, "test"));
        float[][] activation = {GatewayTesting.encoder().embed(List.of("Win a free prize"))[0]};

        try (AdapterLease sentiment = registry.acquire("sentiment");
                AdapterLease spamLease = registry.acquire("spam")) {
            assertThat(registry.sessionCount()).isEqualTo(1);
            assertThat(spamLease.adapter().labels()).containsExactly("ham", "spam");
            assertThat(sentiment.adapter().labels()).isEqualTo(LABELS);
            float[] expected = new LowRankClassifier(spamParams).probabilities(activation[0]);
            assertThat(spamLease.score(activation)[0])
                    .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(sentiment.score(activation)[0]).isNotEqualTo(expected);
        }
    }

    @Test
    void shouldListTheServedAdaptersWhenANameIsUnknown() {
        assertThatThrownBy(() -> registry.acquire("missing"))
                .isInstanceOf(UnknownAdapterException.class)
                .hasMessageContaining("[sentiment]");
    }

    @Test
    void shouldPickUpNewVersionsFromADirectoryAndSkipRefusedOnes(@TempDir Path dir) {
        try (DirectoryAdapterSource source = new DirectoryAdapterSource(dir, 20, 384)) {
            DirectoryAdapterSource.write(dir, "sentiment", 7, GatewayTesting.trained(SPEC, 7L));
            source.start(registry::offer);
            assertThat(registry.current("sentiment").orElseThrow().version()).isEqualTo(7);

            Path broken =
                    DirectoryAdapterSource.write(
                            dir, "sentiment", 8, GatewayTesting.trained(SPEC, 8L));
            corrupt(broken);
            DirectoryAdapterSource.write(dir, "sentiment", 9, GatewayTesting.trained(SPEC, 9L));

            Awaitility.await()
                    .until(() -> registry.current("sentiment").orElseThrow().version() == 9);
        }
    }

    private void assertRefused(
            AdapterArtifact artifact, AdapterRefusedException.Reason reason, String message) {
        assertThatThrownBy(() -> registry.offer(artifact))
                .isInstanceOf(AdapterRefusedException.class)
                .hasMessageContaining(message)
                .satisfies(
                        e -> assertThat(((AdapterRefusedException) e).reason()).isEqualTo(reason));
        assertThat(registry.current("sentiment").orElseThrow().version()).isEqualTo(1);
        assertThat(
                        meters.counter(
                                        "adapter.reload.refused",
                                        "adapter",
                                        "sentiment",
                                        "reason",
                                        reason.tag())
                                .count())
                .isEqualTo(1.0);
    }

    private static AdapterArtifact artifact(long version, AdapterParameters params) {
        return artifact(version, OnnxAdapterFile.toBytes(params, (int) version, 1));
    }

    private static AdapterArtifact artifact(long version, byte[] bytes) {
        return new AdapterArtifact(
                "sentiment", version, ArtifactDecoder.sha256(bytes), bytes, SPEC, "test");
    }

    private static void corrupt(Path file) {
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x55;
            java.nio.file.Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
