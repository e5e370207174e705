package io.forwardloop.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.trainer.RegistryPublisher;
import io.forwardloop.trainer.TrainerConfig;
import io.forwardloop.trainer.TrainerService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code train --publish} against a model registry in process, and a streaming trainer that
 * cold-starts from the version it published.
 */
class TrainCommandPublishIT {
    private static final List<String> LABELS = List.of("neg", "pos");

    @TempDir static Path dir;
    static Path data;
    static ModelRegistryServer registry;
    static RegistryClient client;

    @BeforeAll
    static void start() throws Exception {
        List<String> lines = new ArrayList<>();
        String[] good = {"great", "wonderful", "excellent", "lovely"};
        String[] bad = {"awful", "terrible", "horrible", "dreadful"};
        String[] things = {"film", "meal", "service", "hotel"};
        for (int n = 0; n < 96; n++) {
            boolean positive = n % 2 == 0;
            String text = "The " + things[n % 4] + " was " + (positive ? good : bad)[n / 2 % 4];
            lines.add(
                    "{\"text\":\"" + text + "\",\"label\":\"" + (positive ? "pos" : "neg") + "\"}");
        }
        data = Files.write(dir.resolve("reviews.jsonl"), lines);
        registry =
                ModelRegistryServer.builder()
                        .dataDir(dir.resolve("registry"))
                        .port(0)
                        .authToken("secret")
                        .kafka(null)
                        .build()
                        .start();
        client = RegistryClient.builder().url(registry.url()).token("secret").build();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static int train(String method, String adapter, StringWriter out, String... more) {
        CommandLine command = new CommandLine(new TrainCommand());
        command.setOut(new PrintWriter(out, true));
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--input",
                                data.toString(),
                                "--method",
                                method,
                                "--encoder",
                                "minilm",
                                "--data-dir",
                                dir.resolve("data").toString(),
                                "--report",
                                dir.resolve(adapter + ".json").toString(),
                                "--publish",
                                registry.url(),
                                "--adapter",
                                adapter,
                                "--token",
                                "secret"));
        args.addAll(List.of(more));
        return command.execute(args.toArray(String[]::new));
    }

    @Test
    void shouldPublishAndPromoteAZerothOrderAdapterATrainerThenStartsFrom() throws Exception {
        StringWriter out = new StringWriter();

        int exit = train("zo", "reviews", out, "--promote", "serving");

        JsonNode report = new ObjectMapper().readTree(dir.resolve("reviews.json").toFile());
        AdapterVersion published = client.version("reviews", 1);
        AdapterSpec spec = AdapterSpec.lowRankClassifier(384, 1, LABELS).build();
        String digest = new RegistryPublisher(client).parameters("reviews", 1, spec).digest();
        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("Published adapter reviews version 1 to " + registry.url())
                .contains("Promoted reviews version 1 to alias serving");
        assertThat(client.alias("reviews", "serving").version()).isEqualTo(1);
        assertThat(published.kind()).isEqualTo("LOW_RANK_CLASSIFIER");
        assertThat(published.encoderId()).isEqualTo("minilm");
        assertThat(published.labels()).isEqualTo(LABELS);
        assertThat(published.metrics().get("accuracy"))
                .isEqualTo(report.get("accuracy").asDouble());
        assertThat(published.metrics()).containsKeys("loss", "examples", "correct.pos");
        assertThat(published.hyperparameters())
                .containsEntry("training_method", "zo")
                .containsEntry("origin", "offline")
                .containsKeys("rank", "lora_scale", "learning_rate", "signals");
        assertThat(published.lineage().parentVersion()).isNull();
        assertThat(published.lineage().stepFrom()).isNull();
        assertThat(digest).isEqualTo(report.get("adapter_sha256").asText());

        try (EmbeddedPlatform platform =
                        EmbeddedPlatform.builder()
                                .dataDir(dir.resolve("platform"))
                                .build()
                                .start();
                TrainerService trainer =
                        new TrainerService(trainerConfig(platform), new RegistryPublisher(client))
                                .start()) {
            assertThat(trainer.version()).isZero();
            assertThat(trainer.parameters().digest()).isEqualTo(digest);
            assertThat(trainer.lastPublished()).isEqualTo(1L);
        }
    }

    private static TrainerConfig trainerConfig(EmbeddedPlatform platform) {
        Map<String, Object> config = new HashMap<>();
        config.put(ClusterConnection.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        config.put(ClusterConnection.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
        config.put(TrainerConfig.ADAPTER_NAME, "reviews");
        config.put(TrainerConfig.ENCODER_ID, "minilm");
        config.put(TrainerConfig.LABELS, String.join(",", LABELS));
        return new TrainerConfig(config);
    }

    @Test
    void shouldPublishAForwardForwardAdapterWithItsLayersWithoutPromotingIt() {
        StringWriter out = new StringWriter();

        int exit = train("ff", "reviews-ff", out);

        AdapterVersion published = client.version("reviews-ff", 1);
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Published adapter reviews-ff version 1");
        assertThat(out.toString()).doesNotContain("Promoted");
        assertThat(client.aliases("reviews-ff")).isEmpty();
        assertThat(published.kind()).isEqualTo("FORWARD_FORWARD");
        assertThat(published.hyperparameters())
                .containsEntry("hidden_sizes", "256")
                .containsEntry("training_method", "ff")
                .containsKeys("label_scale", "goodness_threshold");
    }
}
