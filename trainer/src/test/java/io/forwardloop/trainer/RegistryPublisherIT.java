package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.client.RegistryClient;
import java.nio.file.Path;
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

    @Test
    void shouldPublishWithMetricsAndLineagePromoteResolveAndRollBack() {
        try (ModelRegistryServer server =
                ModelRegistryServer.builder()
                        .dataDir(dir)
                        .port(0)
                        .authToken("secret")
                        .kafka(null)
                        .build()
                        .start()) {
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
}
