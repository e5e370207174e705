package io.forwardloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.registry.client.RegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API through the Java client and through raw requests, on the embedded database. */
public class HttpApiIT {
    static final String TOKEN = "s3cret-token";

    @TempDir Path dataDir;

    private ModelRegistryServer server;
    private RegistryClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = startServer(Map.of(RegistryConfig.ARTIFACT_MAX_BYTES, 4096L));
        client = RegistryClient.builder().url(server.url()).token(TOKEN).build();
    }

    private ModelRegistryServer startServer(Map<String, Object> extra) {
        return ModelRegistryServer.builder()
                .port(0)
                .dataDir(dataDir)
                .authToken(TOKEN)
                .config(extra)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    public static AdapterMetadata meta(double accuracy, Long parent) {
        return new AdapterMetadata(
                "LOW_RANK_CLASSIFIER",
                "bge-small-en-v1.5-q",
                List.of("negative", "positive"),
                Map.of("accuracy", accuracy),
                Map.of("rank", 8),
                new Lineage(parent, 0L, 9L, null, null));
    }

    @Test
    void shouldPublishFetchPromoteAndRollBackThroughTheClient() {
        byte[] one = "adapter-one".getBytes(StandardCharsets.UTF_8);
        byte[] two = "adapter-two".getBytes(StandardCharsets.UTF_8);
        AdapterVersion v1 = client.publish("sentiment", one, meta(0.7, null));
        AdapterVersion v2 = client.publish("sentiment", two, meta(0.8, 1L));
        AdapterVersion again = client.publish("sentiment", two, meta(0.8, 1L));

        client.promote("sentiment", "serving", 1);
        AliasInfo promoted = client.promote("sentiment", "serving", 2);
        AliasInfo rolledBack = client.rollback("sentiment", "serving");

        assertThat(again).isEqualTo(v2);
        assertThat(client.artifact(v1.artifactSha256())).isEqualTo(one);
        assertThat(client.artifact("sentiment", 2)).isEqualTo(two);
        assertThat(promoted.previousVersion()).isEqualTo(1);
        assertThat(rolledBack.version()).isEqualTo(1);
        assertThat(client.alias("sentiment", "serving").version()).isEqualTo(1);
        assertThat(client.lineage("sentiment", 2))
                .extracting(AdapterVersion::version)
                .containsExactly(2L, 1L);
        assertThat(client.adapters()).extracting(AdapterSummary::name).containsExactly("sentiment");
        assertThat(client.retire("sentiment", 2).retired()).isTrue();
        assertThatThrownBy(() -> client.promote("sentiment", "serving", 2))
                .hasMessageContaining("is retired");
    }

    @Test
    void shouldServeArtifactsWithTheirHashAsETag() throws Exception {
        byte[] bytes = "etag-me".getBytes(StandardCharsets.UTF_8);
        AdapterVersion v = client.publish("e", bytes, meta(0.5, null));

        HttpResponse<byte[]> response = get("/v1/adapters/e/versions/1/artifact", null);
        HttpResponse<byte[]> cached =
                http.send(
                        HttpRequest.newBuilder(uri("/v1/artifacts/" + v.artifactSha256()))
                                .header("If-None-Match", "\"" + v.artifactSha256() + "\"")
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.body()).isEqualTo(bytes);
        assertThat(response.headers().firstValue("ETag"))
                .hasValue("\"" + v.artifactSha256() + "\"");
        assertThat(response.headers().firstValue("X-Artifact-Sha256")).hasValue(v.artifactSha256());
        assertThat(cached.statusCode()).isEqualTo(304);
    }

    @Test
    void shouldRefuseBadInputWithJsonErrorsThatSayWhatToDo() throws Exception {
        String artifact = Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8));
        String valid =
                "{\"kind\":\"LOW_RANK_CLASSIFIER\",\"encoder_id\":\"e\",\"labels\":[\"a\",\"b\"],"
                        + "\"artifact\":\""
                        + artifact
                        + "\"";

        assertError(post("/v1/adapters/m/versions", "{not json"), 400, "not valid JSON");
        assertError(
                post("/v1/adapters/m/versions", valid + ",\"colour\":1}"),
                400,
                "unknown field 'colour'");
        assertError(
                post(
                        "/v1/adapters/m/versions",
                        valid + ",\"artifact_sha256\":\"" + "0".repeat(64) + "\"}"),
                400,
                "but the artifact's SHA-256 is");
        assertError(
                post("/v1/adapters/m/versions", valid.replace("LOW_RANK_CLASSIFIER", "BIG") + "}"),
                400,
                "is not an adapter kind");
        assertError(
                post("/v1/adapters/m/versions", valid + ",\"metrics\":{\"accuracy\":\"high\"}}"),
                400,
                "field 'metrics.accuracy'");
        String big = Base64.getEncoder().encodeToString(new byte[5000]);
        assertError(
                post("/v1/adapters/m/versions", valid.replace(artifact, big) + "}"),
                413,
                "over the limit of 4096");
        assertError(
                put("/v1/adapters/m/aliases/serving", "{\"version\":1}"),
                404,
                "adapter 'm' does not exist");
        assertError(
                put("/v1/adapters/m/aliases/serving", "{\"versoin\":1}"),
                400,
                "unknown field 'versoin'");
        assertError(get("/v1/adapters/m/versions/abc", null), 400, "is not a version number");
        assertError(get("/v1/artifacts/" + "a".repeat(64), null), 404, "no artifact has SHA-256");
        assertThat(client.adapters()).isEmpty();
    }

    @Test
    void shouldRequireTheBearerTokenForWrites() throws Exception {
        HttpRequest noToken =
                HttpRequest.newBuilder(uri("/v1/adapters/a/aliases/serving/rollback"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build();
        RegistryClient wrongToken =
                RegistryClient.builder().url(server.url()).token("nope").build();

        assertError(
                http.send(noToken, HttpResponse.BodyHandlers.ofByteArray()),
                401,
                "no Authorization header");
        assertThatThrownBy(() -> wrongToken.publish("a", new byte[] {1}, meta(0.1, null)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("the bearer token is wrong")
                .extracting(e -> ((RegistryException) e).reason())
                .isEqualTo(RegistryException.Reason.UNAUTHORIZED);
        assertThat(wrongToken.adapters()).isEmpty();
    }

    @Test
    void shouldCloseReadsWhenConfiguredAndKeepHealthOpen() throws Exception {
        server.close();
        server = startServer(Map.of(RegistryConfig.READ_AUTH_REQUIRED, true));

        assertError(get("/v1/adapters", null), 401, "Authorization");
        assertThat(get("/v1/adapters", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        assertThat(new String(get("/ready", null).body(), StandardCharsets.UTF_8))
                .contains("READY");
    }

    @Test
    void shouldKeepVersionsAcrossARestartAndCountThemInMetrics() throws Exception {
        client.publish("keep", "bytes".getBytes(StandardCharsets.UTF_8), meta(0.6, null));
        server.close();
        server = startServer(Map.of());
        RegistryClient after = RegistryClient.builder().url(server.url()).token(TOKEN).build();
        after.publish("keep", "more".getBytes(StandardCharsets.UTF_8), meta(0.7, 1L));

        assertThat(after.versions("keep"))
                .extracting(AdapterVersion::version)
                .containsExactly(1L, 2L);
        String metrics = new String(get("/metrics", null).body(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("registry_versions_published_total{created=\"true\"} 1.0");
    }

    private void assertError(HttpResponse<byte[]> response, int status, String message) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        assertThat(body).startsWith("{\"error\":").contains("\"message\":").contains(message);
    }

    private URI uri(String path) {
        return URI.create(server.url() + path);
    }

    private HttpResponse<byte[]> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> post(String path, String json) throws Exception {
        return send(
                HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<byte[]> put(String path, String json) throws Exception {
        return send(
                HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        b.header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json");
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
