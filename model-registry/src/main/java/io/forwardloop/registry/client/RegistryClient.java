package io.forwardloop.registry.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.AdapterSummary;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.AliasInfo;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.RegistryException.Reason;
import io.forwardloop.registry.internal.Hashes;
import io.forwardloop.registry.internal.Json;
import io.forwardloop.registry.internal.PublishBody;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client of the model registry's HTTP API, for the trainer, the gateways and the command line.
 *
 * <p>Every method is one request. A failure the server reports arrives as a {@link
 * RegistryException} with the server's reason and message; a server that cannot be reached as one
 * with reason {@code UNAVAILABLE}. Artifacts are checked against their SHA-256 on receipt, so a
 * caller never holds bytes that differ from what was published. Thread-safe.
 */
public final class RegistryClient {
    private static final TypeReference<List<AdapterSummary>> SUMMARIES = new TypeReference<>() {};
    private static final TypeReference<List<AdapterVersion>> VERSIONS = new TypeReference<>() {};
    private static final TypeReference<List<AliasInfo>> ALIASES = new TypeReference<>() {};

    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper mapper = Json.lenient();

    private RegistryClient(Builder b) {
        String url = b.url.endsWith("/") ? b.url.substring(0, b.url.length() - 1) : b.url;
        this.base = URI.create(url);
        this.token = b.token;
        this.timeout = b.timeout;
        this.http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
    }

    /** Returns a builder; {@link Builder#url(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the registry's base URL. */
    public URI url() {
        return base;
    }

    /**
     * Publishes {@code artifact} as the next version of {@code adapterName}; publishing the same
     * bytes again returns the existing version.
     */
    public AdapterVersion publish(String adapterName, byte[] artifact, AdapterMetadata metadata) {
        return publishWithOutcome(adapterName, artifact, metadata).version();
    }

    /**
     * The outcome of a publish.
     *
     * @param version the version that holds the bytes
     * @param created whether this call created it; false when the adapter already had these bytes
     */
    public record Published(AdapterVersion version, boolean created) {}

    /** Publishes like {@link #publish} and also says whether the version is new. */
    public Published publishWithOutcome(
            String adapterName, byte[] artifact, AdapterMetadata metadata) {
        String sha = Hashes.sha256(artifact);
        String base64 = Base64.getEncoder().encodeToString(artifact);
        byte[] body = json(PublishBody.of(metadata, sha, base64));
        HttpResponse<byte[]> response = sendBytes(post(path(adapterName, "versions"), body));
        AdapterVersion version = read(response, mapper.constructType(AdapterVersion.class));
        return new Published(version, response.statusCode() == 201);
    }

    /** Returns every adapter. */
    public List<AdapterSummary> adapters() {
        return send(get("/v1/adapters"), SUMMARIES);
    }

    /** Returns one adapter. */
    public AdapterSummary adapter(String adapterName) {
        return send(get(path(adapterName)), AdapterSummary.class);
    }

    /** Returns every version of an adapter, oldest first. */
    public List<AdapterVersion> versions(String adapterName) {
        return send(get(path(adapterName, "versions")), VERSIONS);
    }

    /** Returns one version's metadata. */
    public AdapterVersion version(String adapterName, long version) {
        return send(get(path(adapterName, "versions", "" + version)), AdapterVersion.class);
    }

    /** Returns the version and its ancestors, newest first. */
    public List<AdapterVersion> lineage(String adapterName, long version) {
        return send(get(path(adapterName, "versions", "" + version, "lineage")), VERSIONS);
    }

    /** Returns where an alias points. */
    public AliasInfo alias(String adapterName, String alias) {
        return send(get(path(adapterName, "aliases", alias)), AliasInfo.class);
    }

    /** Returns every alias of an adapter. */
    public List<AliasInfo> aliases(String adapterName) {
        return send(get(path(adapterName, "aliases")), ALIASES);
    }

    /** Points {@code alias} at {@code version}; the registry announces the move. */
    public AliasInfo promote(String adapterName, String alias, long version) {
        byte[] body = json(Map.of("version", version));
        HttpRequest request =
                request(path(adapterName, "aliases", alias))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                        .header("Content-Type", "application/json")
                        .build();
        return send(request, AliasInfo.class);
    }

    /** Moves {@code alias} back to the version it pointed to before its current one. */
    public AliasInfo rollback(String adapterName, String alias) {
        return send(post(path(adapterName, "aliases", alias, "rollback"), null), AliasInfo.class);
    }

    /** Retires a version so that it can no longer be promoted. */
    public AdapterVersion retire(String adapterName, long version) {
        return send(
                post(path(adapterName, "versions", "" + version, "retire"), null),
                AdapterVersion.class);
    }

    /** Fetches an artifact by its SHA-256 and checks the bytes against it. */
    public byte[] artifact(String sha256) {
        return verified(sha256, sendBytes(get("/v1/artifacts/" + sha256)));
    }

    /** Fetches a version's artifact and checks the bytes against the version's SHA-256. */
    public byte[] artifact(String adapterName, long version) {
        HttpResponse<byte[]> response =
                sendBytes(get(path(adapterName, "versions", "" + version, "artifact")));
        String sha = response.headers().firstValue("X-Artifact-Sha256").orElse("");
        return verified(sha, response);
    }

    private static byte[] verified(String expected, HttpResponse<byte[]> response) {
        String actual = Hashes.sha256(response.body());
        if (!actual.equalsIgnoreCase(expected)) {
            throw new RegistryException(
                    Reason.UNAVAILABLE,
                    "the artifact received from "
                            + response.uri()
                            + " has SHA-256 "
                            + actual
                            + ", not "
                            + expected
                            + "; it was corrupted on the way, fetch it again");
        }
        return response.body();
    }

    // ---- requests

    private static String path(String adapterName, String... rest) {
        StringBuilder p = new StringBuilder("/v1/adapters/").append(encode(adapterName));
        for (String segment : rest) {
            p.append('/').append(encode(segment));
        }
        return p.toString();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest post(String path, byte[] body) {
        return request(path)
                .POST(
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .build();
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    private <T> T send(HttpRequest request, Class<T> type) {
        return read(sendBytes(request), mapper.constructType(type));
    }

    private <T> T send(HttpRequest request, TypeReference<T> type) {
        return read(sendBytes(request), mapper.constructType(type));
    }

    private <T> T read(HttpResponse<byte[]> response, com.fasterxml.jackson.databind.JavaType t) {
        try {
            return mapper.readValue(response.body(), t);
        } catch (IOException e) {
            throw new RegistryException(
                    Reason.UNAVAILABLE,
                    "the registry at "
                            + base
                            + " answered "
                            + response.uri()
                            + " with an"
                            + " unreadable body: "
                            + e.getMessage(),
                    e);
        }
    }

    private HttpResponse<byte[]> sendBytes(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryException(
                    Reason.UNAVAILABLE,
                    "cannot reach the model registry at " + base + ": " + e + "; is it running?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(Reason.UNAVAILABLE, "interrupted calling " + base, e);
        }
        if (response.statusCode() >= 400) {
            throw error(response);
        }
        return response;
    }

    private RegistryException error(HttpResponse<byte[]> response) {
        String code = null;
        String message = new String(response.body(), StandardCharsets.UTF_8);
        try {
            JsonNode body = mapper.readTree(response.body());
            code = body.path("error").asText(null);
            message = body.path("message").asText(message);
        } catch (IOException e) {
            // not JSON: the raw body is the message
        }
        Reason reason = Reason.ofCode(code);
        if (reason == null) {
            reason = response.statusCode() >= 500 ? Reason.UNAVAILABLE : Reason.BAD_REQUEST;
        }
        return new RegistryException(
                reason,
                request(response) + " failed with HTTP " + response.statusCode() + ": " + message);
    }

    private static String request(HttpResponse<?> response) {
        return response.request().method() + " " + response.uri().getPath();
    }

    /** Configures a {@link RegistryClient}. */
    public static final class Builder {
        private String url;
        private String token;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder() {}

        /** The registry's base URL, such as {@code http://localhost:8081}; required. */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        /** The bearer token for writes (and reads, where the registry requires it). */
        public Builder token(String token) {
            this.token = token == null || token.isBlank() ? null : token;
            return this;
        }

        /** How long to wait for a connection and for each answer; 30 s by default. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Returns the client. */
        public RegistryClient build() {
            if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                throw new IllegalStateException(
                        "RegistryClient needs the registry's http(s) URL, was '" + url + "'");
            }
            return new RegistryClient(this);
        }
    }
}
