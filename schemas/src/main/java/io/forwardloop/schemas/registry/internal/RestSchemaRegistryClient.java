package io.forwardloop.schemas.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.schemas.compat.CompatibilityLevel;
import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryClientConfig;
import io.forwardloop.schemas.registry.SchemaRegistryException;
import io.forwardloop.schemas.registry.SchemaRegistryUnreachableException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} over the registry's REST API with {@link HttpClient}.
 *
 * <p>Ids and schemas are cached: both are immutable once registered. When several URLs are
 * configured, each request tries them in turn until one answers; an error the registry sends back
 * is final and not retried elsewhere. With trust or key stores configured, {@code https} URLs use
 * them (see {@link SchemaRegistryClientConfig}).
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int SUBJECT_NOT_FOUND = 40401;
    private static final int VERSION_NOT_FOUND = 40402;
    private static final int SUBJECT_LEVEL_NOT_CONFIGURED = 40408;

    private static final String TLS_HINT =
            "; the TLS handshake failed: check "
                    + SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION
                    + " (the store that trusts the registry's certificate) and, for mutual TLS, "
                    + SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION;

    private final List<Endpoint> endpoints;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxSchemasPerSubject;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

    /** One registry base URL and the Authorization header to send to it, if any. */
    private record Endpoint(String baseUrl, String authorization) {}

    public RestSchemaRegistryClient(SchemaRegistryClientConfig config) {
        this.endpoints = config.urls().stream().map(u -> endpoint(u, config)).toList();
        HttpClient.Builder http =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofMillis(config.connectTimeoutMs()));
        SSLContext tls = RegistryTls.context(config);
        if (tls != null) {
            http.sslContext(tls);
        }
        this.http = http.build();
        this.requestTimeout = Duration.ofMillis(config.requestTimeoutMs());
        this.maxSchemasPerSubject = config.maxSchemasPerSubject();
    }

    @Override
    public int register(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        String what = "registering a schema under subject '" + subject + "'";
        String path = "/subjects/" + encode(subject) + "/versions";
        JsonNode answer = send("POST", path, schemaBody(schema), what);
        return remember(subject, schema, intField(answer, "id", what));
    }

    @Override
    public int idOf(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        String what = "looking up a schema under subject '" + subject + "'";
        JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema), what);
        return remember(subject, schema, intField(answer, "id", what));
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String what = "fetching schema id " + id;
        Schema schema = parseSchema(send("GET", "/schemas/ids/" + id, null, what), what);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        String what = "fetching the latest version of subject '" + subject + "'";
        JsonNode answer =
                send("GET", "/subjects/" + encode(subject) + "/versions/latest", null, what);
        int id = intField(answer, "id", what);
        Schema schema = parseSchema(answer, what);
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(subject, intField(answer, "version", what), id, schema);
    }

    @Override
    public List<String> subjects() {
        JsonNode answer = send("GET", "/subjects", null, "listing subjects");
        List<String> subjects = new ArrayList<>();
        answer.forEach(s -> subjects.add(s.asText()));
        return subjects;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        String what = "checking compatibility with subject '" + subject + "'";
        String path = "/compatibility/subjects/" + encode(subject) + "/versions/latest";
        try {
            JsonNode answer = send("POST", path, schemaBody(schema), what);
            return answer.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SUBJECT_NOT_FOUND || e.errorCode() == VERSION_NOT_FOUND) {
                return true; // nothing registered yet: any schema may start the subject
            }
            throw e;
        }
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        String what = "reading the global compatibility level";
        return level(send("GET", "/config", null, what), what);
    }

    @Override
    public CompatibilityLevel setGlobalCompatibility(CompatibilityLevel level) {
        String what = "setting the global compatibility level to " + level;
        return level(send("PUT", "/config", levelBody(level), what), what);
    }

    @Override
    public Optional<CompatibilityLevel> compatibility(String subject) {
        String what = "reading the compatibility level of subject '" + subject + "'";
        return withoutSubjectLevel(() -> send("GET", configPath(subject), null, what), what);
    }

    @Override
    public CompatibilityLevel setCompatibility(String subject, CompatibilityLevel level) {
        String what = "setting the compatibility level of subject '" + subject + "' to " + level;
        return level(send("PUT", configPath(subject), levelBody(level), what), what);
    }

    @Override
    public Optional<CompatibilityLevel> deleteCompatibility(String subject) {
        String what = "removing the compatibility level of subject '" + subject + "'";
        return withoutSubjectLevel(() -> send("DELETE", configPath(subject), null, what), what);
    }

    /**
     * The level in {@code call}'s answer, or empty when the subject has none of its own: 40408 in
     * Confluent's registry and Karapace, 40401 in registries that predate that code.
     */
    private Optional<CompatibilityLevel> withoutSubjectLevel(Supplier<JsonNode> call, String what) {
        try {
            return Optional.of(level(call.get(), what));
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SUBJECT_LEVEL_NOT_CONFIGURED
                    || e.errorCode() == SUBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        schemasById.clear();
        idsBySubject.clear();
    }

    private Integer cachedId(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.get(subject);
        return ids == null ? null : ids.get(schema);
    }

    private int remember(String subject, Schema schema, int id) {
        Map<Schema, Integer> ids =
                idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        if (ids.size() >= maxSchemasPerSubject && !ids.containsKey(schema)) {
            throw new SchemaRegistryException(
                    String.format(
                            "subject '%s' has more than %d distinct schemas in this client's cache"
                                    + " (%s); reuse schema objects or raise the limit",
                            subject,
                            maxSchemasPerSubject,
                            SchemaRegistryClientConfig.MAX_SCHEMAS_PER_SUBJECT),
                    -1);
        }
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    private JsonNode send(String method, String path, Map<String, String> body, String what) {
        List<String> failures = new ArrayList<>();
        IOException last = null;
        for (Endpoint endpoint : endpoints) {
            try {
                return exchange(endpoint, method, path, body, what);
            } catch (IOException e) {
                LOG.debug("schema registry at {} failed while {}", endpoint.baseUrl(), what, e);
                failures.add(endpoint.baseUrl() + " (" + e + ")");
                last = last instanceof SSLException ? last : e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while " + what, -1, e);
            }
        }
        List<String> urls = endpoints.stream().map(Endpoint::baseUrl).toList();
        throw new SchemaRegistryUnreachableException(
                String.format(
                        "schema registry at %s is unreachable while %s: %s; check %s and that the"
                                + " registry is running%s",
                        String.join(", ", urls),
                        what,
                        String.join("; ", failures),
                        SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL,
                        last instanceof SSLException ? TLS_HINT : ""),
                urls,
                last);
    }

    private JsonNode exchange(
            Endpoint endpoint, String method, String path, Map<String, String> body, String what)
            throws IOException, InterruptedException {
        String url = endpoint.baseUrl() + path;
        LOG.debug("{} {}", method, url);
        HttpResponse<String> response =
                http.send(
                        request(endpoint, method, url, body), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = readJson(response.body(), url, what);
        if (response.statusCode() >= 300) {
            throw refused(url, what, response.statusCode(), answer);
        }
        return answer;
    }

    private HttpRequest request(
            Endpoint endpoint, String method, String url, Map<String, String> body)
            throws JsonProcessingException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(requestTimeout)
                        .header("Accept", CONTENT_TYPE + ", application/json");
        if (endpoint.authorization() != null) {
            request.header("Authorization", endpoint.authorization());
        }
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        String text = json.writeValueAsString(body);
        return request.header("Content-Type", CONTENT_TYPE)
                .method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
                .build();
    }

    private JsonNode readJson(String body, String url, String what) {
        try {
            return body == null || body.isBlank() ? json.nullNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(
                    "schema registry at "
                            + url
                            + " sent an answer that is not JSON while "
                            + what
                            + "; is "
                            + SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL
                            + " the registry's base URL?",
                    -1,
                    e);
        }
    }

    private static SchemaRegistryException refused(
            String url, String what, int status, JsonNode answer) {
        int code = answer.path("error_code").asInt(-1);
        String message = answer.path("message").asText("no message");
        return new SchemaRegistryException(
                String.format(
                        "schema registry at %s refused %s: %s (HTTP %d, error code %d)",
                        url, what, message, status, code),
                code);
    }

    private static Map<String, String> schemaBody(Schema schema) {
        return Map.of("schema", schema.toString());
    }

    private static Map<String, String> levelBody(CompatibilityLevel level) {
        if (level == null) {
            throw new IllegalArgumentException(
                    "compatibility level must not be null; use deleteCompatibility(subject) to let"
                            + " a subject follow the global level");
        }
        return Map.of("compatibility", level.name());
    }

    private static String configPath(String subject) {
        return "/config/" + encode(subject);
    }

    /**
     * The level in an answer: {@code compatibilityLevel} from GET and DELETE, {@code compatibility}
     * from PUT.
     */
    private static CompatibilityLevel level(JsonNode answer, String what) {
        JsonNode level = answer.path("compatibilityLevel");
        if (!level.isTextual()) {
            level = answer.path("compatibility");
        }
        try {
            return CompatibilityLevel.parse(level.isTextual() ? level.asText() : null);
        } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException(
                    "schema registry answer has no compatibility level this client knows while "
                            + what
                            + ": "
                            + answer
                            + " ("
                            + e.getMessage()
                            + ")",
                    -1,
                    e);
        }
    }

    private static int intField(JsonNode answer, String field, String what) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(
                    "schema registry answer has no '" + field + "' while " + what + ": " + answer,
                    -1);
        }
        return value.intValue();
    }

    private static Schema parseSchema(JsonNode answer, String what) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(
                    "schema registry returned a "
                            + type
                            + " schema while "
                            + what
                            + "; only AVRO schemas are supported",
                    -1);
        }
        try {
            return new Schema.Parser().parse(answer.path("schema").asText());
        } catch (AvroRuntimeException e) {
            throw new SchemaRegistryException(
                    "schema registry returned a schema that does not parse while "
                            + what
                            + ": "
                            + e.getMessage(),
                    -1,
                    e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Endpoint endpoint(URI uri, SchemaRegistryClientConfig config) {
        return new Endpoint(withoutUserInfo(uri), authorization(uri, config));
    }

    private static String authorization(URI uri, SchemaRegistryClientConfig config) {
        if (config.bearerToken() != null) {
            return "Bearer " + config.bearerToken();
        }
        String userInfo =
                config.credentialsSource() == SchemaRegistryClientConfig.CredentialsSource.USER_INFO
                        ? config.userInfo()
                        : uri.getUserInfo();
        if (userInfo == null) {
            return null;
        }
        byte[] raw = userInfo.getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(raw);
    }

    private static String withoutUserInfo(URI uri) {
        try {
            return new URI(
                            uri.getScheme(),
                            null,
                            uri.getHost(),
                            uri.getPort(),
                            uri.getPath(),
                            null,
                            null)
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad schema registry URL " + uri, e);
        }
    }
}
