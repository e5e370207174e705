package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.adapter.AdapterFormatException;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.client.RegistryClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing, promotion and rollback against the model registry server in process. */
class RegistryPublisherIT {
    private static final AdapterSpec SPEC =
            AdapterSpec.lowRankClassifier(8, 1, List.of("negative", "positive")).build();

    @TempDir Path dir;

    private static AdapterPublisher.Candidate candidate(
            long seed, Long parent, long from, long to) {
        Evaluation evaluation =
                new Evaluation(
                        10,
                        0.8,
                        0.4,
                        Map.of(
                                "negative",
                                new Evaluation.LabelCounts(5, 4),
                                "positive",
                                new Evaluation.LabelCounts(5, 4)));
        return new AdapterPublisher.Candidate(
                "sentiment",
                AdapterParameters.initialize(SPEC, seed),
                "bge-small-q",
                evaluation,
                Map.of("trainer.method", "zo"),
                parent,
                from,
                to);
    }

    private ModelRegistryServer server() {
        return ModelRegistryServer.builder()
                .dataDir(dir)
                .port(0)
                .authToken("secret")
                .kafka(null)
                .build()
                .start();
    }

    @Test
    void shouldPublishWithMetricsAndLineagePromoteResolveAndRollBack() {
        try (ModelRegistryServer server = server()) {
            RegistryClient client =
                    RegistryClient.builder().url(server.url()).token("secret").build();
            RegistryPublisher publisher = new RegistryPublisher(client);

            long first = publisher.publish(candidate(1, null, 1, 100));
            long second = publisher.publish(candidate(2, first, 101, 250));
            publisher.promote("sentiment", "production", first);
            publisher.promote("sentiment", "production", second);
            AdapterPublisher.Published serving =
                    publisher.resolve("sentiment", "production", SPEC).orElseThrow();
            boolean rolledBack = publisher.rollback("sentiment", "production");
            long afterRollback =
                    publisher.resolve("sentiment", "production", SPEC).orElseThrow().version();

            AdapterVersion published = client.version("sentiment", second);
            assertThat(serving.version()).isEqualTo(second);
            assertThat(serving.parameters().digest())
                    .isEqualTo(AdapterParameters.initialize(SPEC, 2).digest());
            assertThat(rolledBack).isTrue();
            assertThat(afterRollback).isEqualTo(first);
            assertThat(published.metrics()).containsEntry("accuracy", 0.8);
            assertThat(published.metrics()).containsEntry("correct.positive", 4.0);
            assertThat(published.lineage().parentVersion()).isEqualTo(first);
            assertThat(published.lineage().stepFrom()).isEqualTo(101L);
            assertThat(published.lineage().stepTo()).isEqualTo(250L);
            assertThat(published.hyperparameters()).containsEntry("trainer.method", "zo");
            assertThat(String.valueOf(published.hyperparameters().get("rank"))).isEqualTo("1");
            assertThat(published.hyperparameters()).containsKey("lora_scale");
            assertThat(publisher.resolve("sentiment", "canary", SPEC)).isEmpty();
        }
    }

    @Test
    void shouldKeepALongStepRangeExactAndDescribeWhatServes() {
        try (ModelRegistryServer server = server()) {
            RegistryClient client =
                    RegistryClient.builder().url(server.url()).token("secret").build();
            RegistryPublisher publisher = new RegistryPublisher(client);
            Map<String, Object> hyper = new HashMap<>();
            hyper.put("l2_grid", List.of(0.0, 0.1));
            hyper.put("validation_accuracy", null);
            AdapterPublisher.Candidate base =
                    new AdapterPublisher.Candidate(
                            "sentiment",
                            AdapterParameters.initialize(SPEC, 3),
                            "bge-small-q",
                            null,
                            hyper,
                            null,
                            2_999_999_000L,
                            3_000_000_000L);

            long version = publisher.publish(base);
            publisher.promote("sentiment", "serving", version);
            AdapterPublisher.VersionInfo served =
                    publisher.describe("sentiment", "serving").orElseThrow();
            AdapterVersion stored = client.version("sentiment", version);
            byte[] artifact = client.artifact("sentiment", version);
            AdapterSpec wider =
                    AdapterSpec.lowRankClassifier(16, 1, List.of("negative", "positive")).build();

            assertThat(stored.lineage().stepTo()).isEqualTo(3_000_000_000L);
            assertThat(stored.lineage().stepFrom()).isEqualTo(2_999_999_000L);
            assertThat(OnnxAdapterFile.header(artifact).adapterVersion())
                    .isEqualTo(Integer.MAX_VALUE);
            assertThat(stored.metrics()).isEmpty();
            assertThat(stored.hyperparameters())
                    .containsEntry("l2_grid", "0.0,0.1")
                    .doesNotContainKey("validation_accuracy");
            assertThat(served.version()).isEqualTo(version);
            assertThat(served.kind()).isEqualTo("LOW_RANK_CLASSIFIER");
            assertThat(served.encoderId()).isEqualTo("bge-small-q");
            assertThat(served.labels()).containsExactly("negative", "positive");
            assertThat(served.stepTo()).isEqualTo(3_000_000_000L);
            assertThat(served.parentVersion()).isNull();
            assertThat(String.valueOf(served.hyperparameters().get("rank"))).isEqualTo("1");
            assertThat(publisher.versions("sentiment"))
                    .extracting(v -> v.version())
                    .containsExactly(version);
            assertThat(publisher.versions("unknown")).isEmpty();
            assertThat(publisher.describe("unknown", "serving")).isEmpty();
            assertThat(publisher.parameters("sentiment", version, SPEC).digest())
                    .isEqualTo(AdapterParameters.initialize(SPEC, 3).digest());
            assertThatThrownBy(() -> publisher.parameters("sentiment", version, wider))
                    .isInstanceOf(AdapterFormatException.class)
                    .hasMessageContaining("lora_down");
        }
    }
}
