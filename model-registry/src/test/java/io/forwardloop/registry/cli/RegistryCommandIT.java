package io.forwardloop.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.HttpApiIT;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.OnEachDatabase;
import io.forwardloop.registry.TestDatabase;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.registry.internal.Hashes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code registry} commands against a running registry, on H2 and on PostgreSQL. */
class RegistryCommandIT {
    @TempDir Path tempDir;

    private TestDatabase database;
    private ModelRegistryServer server;
    private RegistryClient client;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private void start(String kind) {
        database = TestDatabase.create(kind, tempDir.resolve("db"));
        server = database.registry().authToken("tok").build().start();
        client = RegistryClient.builder().url(server.url()).token("tok").build();
        client.publish(
                "sentiment", "a".getBytes(StandardCharsets.UTF_8), HttpApiIT.meta(0.7, null));
        client.publish("sentiment", "b".getBytes(StandardCharsets.UTF_8), HttpApiIT.meta(0.8, 1L));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private int run(String... args) {
        return runWithToken("tok", args);
    }

    private int runWithToken(String token, String... args) {
        CommandLine cli = RegistryCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url=" + server.url());
        if (token != null) {
            all.add("--token=" + token);
        }
        return cli.execute(all.toArray(String[]::new));
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(tempDir.resolve(name), content);
    }

    @OnEachDatabase
    void shouldListShowPromoteAndRollBack(String kind) {
        start(kind);
        assertThat(run("promote", "sentiment", "1")).isZero();
        assertThat(run("promote", "sentiment", "2", "--alias", "serving")).isZero();
        assertThat(run("rollback", "sentiment")).isZero();
        assertThat(run("list")).isZero();
        assertThat(run("show", "sentiment")).isZero();
        assertThat(run("show", "sentiment", "--version", "2")).isZero();

        String text = out.toString();
        assertThat(text).contains("promoted sentiment/serving: version none -> 1");
        assertThat(text).contains("rolled back sentiment/serving: version 2 -> 1");
        assertThat(text).containsPattern("sentiment\\s+2\\s+2\\s+serving=1");
        assertThat(text).contains("lineage          [v2, v1]");
    }

    @OnEachDatabase
    void shouldExitWithOneAndTheRegistrysMessageWhenRefused(String kind) throws IOException {
        start(kind);
        Path artifact = file("c.bin", "c");

        int unknown = run("promote", "nothing", "1");
        int noToken =
                runWithToken(
                        null,
                        "publish",
                        "sentiment",
                        "--artifact=" + artifact,
                        "--kind=LOW_RANK_CLASSIFIER",
                        "--encoder=bge-small-en-v1.5-q",
                        "--labels=negative,positive");

        assertThat(unknown).isEqualTo(1);
        assertThat(noToken).isEqualTo(1);
        assertThat(err.toString())
                .contains("adapter 'nothing' does not exist")
                .contains("HTTP 401: no Authorization header");
        assertThat(client.versions("sentiment")).hasSize(2);
    }

    @OnEachDatabase
    void shouldPublishAFileWithItsMetadataAndPromoteIt(String kind) throws IOException {
        start(kind);
        Path artifact = file("v3.onnx_adapter", "weights-three");
        Path metadata =
                file(
                        "v3.json",
                        "{\"metrics\":{\"accuracy\":0.91},\"hyperparameters\":{\"rank\":8,"
                                + "\"optimizer\":\"mezo\"},\"lineage\":{\"parent_version\":2,"
                                + "\"step_from\":10,\"step_to\":59}}");
        String sha = Hashes.sha256(Files.readAllBytes(artifact));
        String[] publish = {
            "publish",
            "sentiment",
            "--artifact",
            artifact.toString(),
            "--kind",
            "LOW_RANK_CLASSIFIER",
            "--encoder",
            "bge-small-en-v1.5-q",
            "--labels",
            "negative,positive",
            "--metadata",
            metadata.toString(),
            "--promote",
            "serving"
        };

        int first = run(publish);
        int again = run(publish);

        assertThat(first).as(err.toString()).isZero();
        assertThat(again).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("published sentiment version 3 (sha256 " + sha + ", 13 bytes)")
                .contains("promoted sentiment/serving: version none -> 3")
                .contains("sentiment already has these bytes as version 3");
        AdapterVersion v3 = client.version("sentiment", 3);
        assertThat(v3.kind()).isEqualTo("LOW_RANK_CLASSIFIER");
        assertThat(v3.encoderId()).isEqualTo("bge-small-en-v1.5-q");
        assertThat(v3.labels()).containsExactly("negative", "positive");
        assertThat(v3.metrics()).isEqualTo(Map.of("accuracy", 0.91));
        assertThat(v3.hyperparameters()).isEqualTo(Map.of("rank", 8, "optimizer", "mezo"));
        assertThat(v3.lineage().parentVersion()).isEqualTo(2);
        assertThat(v3.lineage().stepCount()).isEqualTo(50);
        assertThat(client.artifact("sentiment", 3)).isEqualTo(Files.readAllBytes(artifact));
        assertThat(client.alias("sentiment", "serving").version()).isEqualTo(3);
        assertThat(client.versions("sentiment")).hasSize(3);
    }

    @OnEachDatabase
    void shouldRefuseBadPublishOptionsAsUsageErrorsAndSendNothing(String kind) throws IOException {
        start(kind);
        String artifact = "--artifact=" + file("d.bin", "d");
        String unknownField =
                "--metadata=" + file("unknown.json", "{\"kind\":\"FORWARD_FORWARD\"}");
        String notJson = "--metadata=" + file("broken.json", "{\"metrics\":");
        String nullMetric = "--metadata=" + file("null.json", "{\"metrics\":{\"f1\":null}}");
        String ok = "--kind=FORWARD_FORWARD";

        List<Integer> codes =
                List.of(
                        publish(artifact, "--kind=BIG", "--encoder=e", "--labels=a,b"),
                        publish(artifact, ok, "--encoder=e", "--labels=a,b", unknownField),
                        publish(artifact, ok, "--encoder=e", "--labels=a,b", notJson),
                        publish(artifact, ok, "--encoder=e", "--labels=a,b", nullMetric),
                        publish(
                                "--artifact=" + tempDir.resolve("missing.bin"),
                                ok,
                                "--encoder=e",
                                "--labels=a,b"),
                        publish(artifact, ok, "--encoder=e", "--labels=a,a"),
                        publish(artifact, ok, "--encoder=e", "--labels=a,b", "--promote=Bad!"));

        assertThat(codes).containsOnly(2);
        assertThat(err.toString())
                .contains(
                        "--kind 'BIG' is not an adapter kind; use one of [LOW_RANK_CLASSIFIER,"
                                + " FORWARD_FORWARD]")
                .contains(
                        "unknown field 'kind' in --metadata "
                                + tempDir.resolve("unknown.json")
                                + "; the known fields there are hyperparameters, lineage,"
                                + " metrics (give kind, encoder and labels with --kind,"
                                + " --encoder and --labels)")
                .contains("broken.json is not valid JSON")
                .contains("metrics.f1 is null")
                .contains("cannot read --artifact " + tempDir.resolve("missing.bin"))
                .contains("labels must be a non-empty list of distinct, non-blank names")
                .contains("alias 'Bad!' is not valid");
        assertThat(client.versions("sentiment")).hasSize(2);
    }

    @OnEachDatabase
    void shouldSayWhatWasPublishedWhenThePromotionIsRefused(String kind) throws IOException {
        start(kind);
        String artifact = "--artifact=" + file("b.bin", "b");

        client.promote("sentiment", "serving", 1);
        client.retire("sentiment", 2);
        int code =
                publish(
                        artifact,
                        "--kind=LOW_RANK_CLASSIFIER",
                        "--encoder=e",
                        "--labels=a,b",
                        "--promote=serving");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("sentiment already has these bytes as version 2");
        assertThat(err.toString())
                .contains("published version 2 but did not promote it to 'serving'")
                .contains("HTTP 409")
                .contains("is retired and cannot be promoted");
        assertThat(client.alias("sentiment", "serving").version()).isEqualTo(1);
    }

    private int publish(String... options) {
        List<String> args = new ArrayList<>(List.of("publish", "sentiment"));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }
}
