package io.forwardloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API through the Java client and through raw requests, on H2 and on PostgreSQL. */
public class HttpApiIT {
    static final String TOKEN = "s3cret-token";
    static final long MAX_BYTES = 4096;

    @TempDir Path tempDir;

    private TestDatabase database;
    private ModelRegistryServer server;
    private RegistryClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(String kind) {
        start(kind, Map.of());
    }

    private void start(String kind, Map<String, Object> extra) {
        database = TestDatabase.create(kind, tempDir);
        server = startServer(extra);
        client = RegistryClient.builder().url(server.url()).token(TOKEN).build();
    }

    private ModelRegistryServer startServer(Map<String, Object> extra) {
        return database.registry()
                .authToken(TOKEN)
                .config(Map.of(RegistryConfig.ARTIFACT_MAX_BYTES, MAX_BYTES))
                .config(extra)
                .build()
                .start();
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

    public static AdapterMetadata meta(double accuracy, Long parent) {
        return new AdapterMetadata(
                "LOW_RANK_CLASSIFIER",
                "bge-small-en-v1.5-q",
                List.of("negative", "positive"),
                Map.of("accuracy", accuracy),
                Map.of("rank", 8),
                new Lineage(parent, 0L, 9L, null, null));
    }

    @OnEachDatabase
    void shouldPublishFetchPromoteAndRollBackThroughTheClient(String kind) {
        start(kind);
        byte[] one = "adapter-one".getBytes(StandardCharsets.UTF_8);
        byte[] two = "adapter-two".getBytes(StandardCharsets.UTF_8);
        AdapterVersion v1 = client.publish("sentiment", one, meta(0.7, null));
        AdapterVersion v2 = client.publish("sentiment", two, meta(0.8, 1L));
        RegistryClient.Published again = client.publishWithOutcome("sentiment", two, meta(0.8, 1L));

        client.promote("sentiment", "serving", 1);
        AliasInfo promoted = client.promote("sentiment", "serving", 2);
        AliasInfo rolledBack = client.rollback("sentiment", "serving");

        assertThat(again.version()).isEqualTo(v2);
        assertThat(again.created()).isFalse();
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
    }

    @OnEachDatabase
    void shouldServeArtifactsWithTheirHashAsETag(String kind) throws Exception {
        start(kind);
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

    /** A valid publish body without its closing brace, for the cases to complete. */
    private static String validBody(String artifactBase64) {
        return "{\"kind\":\"LOW_RANK_CLASSIFIER\",\"encoder_id\":\"e\",\"labels\":[\"a\",\"b\"],"
                + "\"artifact\":\""
                + artifactBase64
                + "\"";
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @OnEachDatabase
    void shouldRefuseMalformedPublishBodiesSayingWhatIsWrong(String kind) throws Exception {
        start(kind);
        String valid = validBody(base64("x".getBytes(StandardCharsets.UTF_8)));
        String path = "/v1/adapters/m/versions";

        assertError(post(path, "{not json"), 400, "the body is not valid JSON");
        assertError(post(path, ""), 400, "has no body; send a JSON object");
        assertError(post(path, "null"), 400, "is null; send a JSON object");
        assertError(post(path, "[1, 2]"), 400, "the body must be one JSON object");
        assertError(post(path, valid + "} {}"), 400, "the body must be one JSON object");
        assertError(
                post(path, valid.replace("LOW_RANK_CLASSIFIER", "BIG") + "}"),
                400,
                "kind 'BIG' is not an adapter kind; use one of [LOW_RANK_CLASSIFIER,"
                        + " FORWARD_FORWARD]");
        assertError(
                post(path, valid + ",\"metrics\":{\"accuracy\":\"high\"}}"),
                400,
                "field 'metrics.accuracy' of the body has the wrong type or value");
        assertError(
                post(path, valid + ",\"lineage\":{\"step_from\":1.5,\"step_to\":3}}"),
                400,
                "field 'lineage.step_from' of the body has the wrong type or value");
        assertError(
                post(path, valid.replace("[\"a\",\"b\"]", "[\"a\",null]") + "}"),
                400,
                "labels[1] is null");
        assertError(
                post(path, valid + ",\"metrics\":{\"accuracy\":null}}"),
                400,
                "metrics.accuracy is null");
        assertError(
                post(path, valid.replace("[\"a\",\"b\"]", "[\"a\",\"a\"]") + "}"),
                400,
                "labels must be a non-empty list of distinct, non-blank names, was [a, a]");
        assertError(post(path, validBody("@@@") + "}"), 400, "artifact is not valid base64");
        assertError(
                post(path, validBody("") + "}"),
                400,
                "artifact is required: the adapter file's bytes in base64");
        assertError(
                post(path, valid + ",\"lineage\":{\"parent_version\":3}}"),
                400,
                "lineage.parent_version 3 of adapter 'm' does not exist");
        assertThat(client.adapters()).isEmpty();
    }

    @OnEachDatabase
    void shouldRefuseUnknownFieldsNamingTheKnownOnes(String kind) throws Exception {
        start(kind);
        String valid = validBody(base64("x".getBytes(StandardCharsets.UTF_8)));
        client.publish("m", new byte[] {1}, meta(0.5, null));

        assertError(
                post("/v1/adapters/m/versions", valid + ",\"colour\":1}"),
                400,
                "unknown field 'colour' in the body; the known fields there are artifact,"
                        + " artifact_sha256, encoder_id, hyperparameters, kind, labels, lineage,"
                        + " metrics");
        assertError(
                post("/v1/adapters/m/versions", valid + ",\"lineage\":{\"parent\":1}}"),
                400,
                "unknown field 'lineage.parent' in the body; the known fields there are"
                        + " data_from_ms, data_to_ms, parent_version, step_from, step_to");
        assertError(
                put("/v1/adapters/m/aliases/serving", "{\"versoin\":1}"),
                400,
                "unknown field 'versoin' in the body; the known fields there are version");
        assertThat(client.versions("m")).hasSize(1);
    }

    @OnEachDatabase
    void shouldRefuseAnArtifactWhoseHashDiffersFromTheOneGiven(String kind) throws Exception {
        start(kind);
        byte[] bytes = "x".getBytes(StandardCharsets.UTF_8);
        String wrong = "0".repeat(64);

        HttpResponse<byte[]> response =
                post(
                        "/v1/adapters/m/versions",
                        validBody(base64(bytes)) + ",\"artifact_sha256\":\"" + wrong + "\"}");

        assertError(
                response,
                400,
                "artifact_sha256 says "
                        + wrong
                        + " but the artifact's SHA-256 is "
                        + io.forwardloop.registry.internal.Hashes.sha256(bytes)
                        + "; the upload was corrupted");
        assertThat(client.adapters()).isEmpty();
    }

    @OnEachDatabase
    void shouldRefuseOversizeArtifactsAndBodiesWith413(String kind) throws Exception {
        start(kind);
        String overLimit = base64(new byte[(int) MAX_BYTES + 1]);
        String huge = "x".repeat(2 * 1024 * 1024);
        HttpRequest.Builder chunked =
                HttpRequest.newBuilder(uri("/v1/adapters/m/versions"))
                        .POST(
                                HttpRequest.BodyPublishers.fromPublisher(
                                        HttpRequest.BodyPublishers.ofString(huge)));

        assertError(
                post("/v1/adapters/m/versions", validBody(overLimit) + "}"),
                413,
                "the artifact is 4097 bytes, over the limit of 4096 artifact bytes"
                        + " (registry.artifact.max.bytes); shrink the adapter or raise the limit");
        assertError(
                post("/v1/adapters/m/versions", huge),
                413,
                "the request body is " + huge.length() + " bytes, over the limit of 4096");
        assertError(send(chunked), 413, "the request body is larger than the server reads");
        assertThat(client.publish("m", new byte[(int) MAX_BYTES], meta(0.5, null)).version())
                .isEqualTo(1);
    }

    @OnEachDatabase
    void shouldRefuseToPromoteARetiredVersionWith409(String kind) throws Exception {
        start(kind);
        client.publish("r", "one".getBytes(StandardCharsets.UTF_8), meta(0.5, null));
        client.publish("r", "two".getBytes(StandardCharsets.UTF_8), meta(0.6, 1L));
        client.promote("r", "serving", 1);
        client.retire("r", 2);

        assertError(
                put("/v1/adapters/r/aliases/serving", "{\"version\":2}"),
                409,
                "version 2 of adapter 'r' is retired and cannot be promoted");
        assertError(
                post("/v1/adapters/r/versions/1/retire", ""),
                409,
                "version 1 of adapter 'r' is what [serving] point to; move those aliases first");
        assertThatThrownBy(() -> client.promote("r", "serving", 2))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("HTTP 409")
                .extracting(e -> ((RegistryException) e).reason())
                .isEqualTo(RegistryException.Reason.CONFLICT);
        assertThat(client.alias("r", "serving").version()).isEqualTo(1);
    }

    @OnEachDatabase
    void shouldRefuseToRollBackAnAliasThatDoesNotExistOrHasNoHistory(String kind) throws Exception {
        start(kind);
        client.publish("s", "one".getBytes(StandardCharsets.UTF_8), meta(0.5, null));
        client.promote("s", "serving", 1);

        assertError(
                post("/v1/adapters/s/aliases/canary/rollback", ""),
                404,
                "adapter 's' has no alias 'canary'; promote a version to it first");
        assertError(
                post("/v1/adapters/nothing/aliases/serving/rollback", ""),
                404,
                "adapter 'nothing' does not exist; publish a version of it first");
        assertError(
                post("/v1/adapters/s/aliases/serving/rollback", ""),
                409,
                "alias 'serving' of adapter 's' has no earlier version to roll back to");
        assertError(
                post("/v1/adapters/s/aliases/Bad!/rollback", ""),
                400,
                "alias 'Bad!' is not valid; use lower-case letters, digits");
        assertThat(client.alias("s", "serving").version()).isEqualTo(1);
    }

    @OnEachDatabase
    void shouldRefuseBadPathsAndPromoteBodies(String kind) throws Exception {
        start(kind);

        assertError(
                put("/v1/adapters/m/aliases/serving", "{\"version\":1}"),
                404,
                "adapter 'm' does not exist");
        assertError(
                put("/v1/adapters/m/aliases/serving", "{\"version\":0}"),
                400,
                "give the version to promote as {\"version\": N}, N >= 1");
        assertError(get("/v1/adapters/m/versions/abc", null), 400, "is not a version number");
        assertError(get("/v1/artifacts/" + "a".repeat(64), null), 404, "no artifact has SHA-256");
        assertError(get("/v1/artifacts/xyz", null), 400, "SHA-256 'xyz' is not valid");
    }

    @OnEachDatabase
    void shouldRequireTheBearerTokenForWrites(String kind) throws Exception {
        start(kind);
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

    @OnEachDatabase
    void shouldCloseReadsWhenConfiguredAndKeepHealthOpen(String kind) throws Exception {
        start(kind, Map.of(RegistryConfig.READ_AUTH_REQUIRED, true));
        AdapterVersion v = client.publish("a", new byte[] {1}, meta(0.5, null));

        assertError(
                get("/v1/adapters", null),
                401,
                "no Authorization header; send 'Authorization: Bearer <token>' with the token"
                        + " configured as registry.auth.token");
        assertError(get("/v1/adapters", "nope"), 401, "the bearer token is wrong");
        assertError(get("/v1/artifacts/" + v.artifactSha256(), null), 401, "Authorization");
        assertError(get("/", null), 401, "no Authorization header");
        assertError(get("/ui/adapters/a", null), 401, "no Authorization header");
        assertError(get("/metrics", null), 401, "no Authorization header");
        assertThat(get("/v1/adapters", TOKEN).statusCode()).isEqualTo(200);
        assertThat(client.artifact(v.artifactSha256())).containsExactly(1);
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        assertThat(new String(get("/ready", null).body(), StandardCharsets.UTF_8))
                .contains("READY");
    }

    @OnEachDatabase
    void shouldKeepVersionsAcrossARestartAndCountThemInMetrics(String kind) throws Exception {
        start(kind);
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

    /** Asserts the status and that the JSON error body's message contains {@code message}. */
    private static void assertError(HttpResponse<byte[]> response, int status, String message)
            throws Exception {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        JsonNode error = new ObjectMapper().readTree(body);
        assertThat(error.path("error").asText()).as(body).isNotBlank();
        assertThat(error.path("message").asText()).contains(message);
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
