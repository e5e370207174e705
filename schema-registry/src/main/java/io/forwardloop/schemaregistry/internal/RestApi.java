package io.forwardloop.schemaregistry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.schemas.compat.CompatibilityLevel;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent-compatible REST subset: subjects, versions, schemas by id, compatibility checks and
 * configuration, with Confluent's JSON shapes, status codes and error codes.
 */
public final class RestApi {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final Set<String> ACCEPTED_BODY_TYPES =
            Set.of(CONTENT_TYPE, "application/json", "application/octet-stream");

    private final SchemaStore store;
    private final ObjectMapper mapper;
    private final byte[] expectedAuthorization;

    /**
     * @param basicAuth {@code user:password} that every request but the health check must send, or
     *     null for none
     */
    public RestApi(SchemaStore store, ObjectMapper mapper, String basicAuth) {
        this.store = store;
        this.mapper = mapper;
        this.expectedAuthorization =
                basicAuth == null
                        ? null
                        : ("Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        basicAuth.getBytes(StandardCharsets.UTF_8)))
                                .getBytes(StandardCharsets.UTF_8);
    }

    /** Installs the routes, the authentication filter and the error mapping on {@code config}. */
    public void install(JavalinConfig config) {
        RoutesConfig routes = config.routes;
        routes.before(this::checkRequest);
        routes.get("/", ctx -> reply(ctx, Map.of()));
        routes.get("/health", ctx -> reply(ctx, Map.of("status", "UP")));
        subjectRoutes(routes);
        schemaRoutes(routes);
        configRoutes(routes);
        routes.exception(RegistryError.class, this::replyError);
        routes.exception(HttpResponseException.class, this::replyHttpError);
        routes.exception(Exception.class, this::replyInternalError);
    }

    private void subjectRoutes(RoutesConfig routes) {
        routes.get("/subjects", ctx -> reply(ctx, store.subjects(flag(ctx, "deleted"))));
        routes.post("/subjects/{subject}/versions", this::register);
        routes.post("/subjects/{subject}", this::lookup);
        routes.delete("/subjects/{subject}", this::deleteSubject);
        routes.get(
                "/subjects/{subject}/versions",
                ctx -> reply(ctx, store.versions(subject(ctx), flag(ctx, "deleted"))));
        routes.get(
                "/subjects/{subject}/versions/{version}",
                ctx -> reply(ctx, versionJson(version(ctx))));
        routes.get(
                "/subjects/{subject}/versions/{version}/schema",
                ctx -> replyRaw(ctx, store.schemaById(version(ctx).id()).toString()));
        routes.post("/compatibility/subjects/{subject}/versions/{version}", this::testVersion);
        routes.post("/compatibility/subjects/{subject}/versions", this::testAll);
    }

    private void schemaRoutes(RoutesConfig routes) {
        routes.get(
                "/schemas/ids/{id}",
                ctx -> reply(ctx, Map.of("schema", store.schemaById(id(ctx)).toString())));
        routes.get(
                "/schemas/ids/{id}/schema",
                ctx -> replyRaw(ctx, store.schemaById(id(ctx)).toString()));
        routes.get("/schemas/ids/{id}/versions", this::versionsOfId);
        routes.get("/schemas/types", ctx -> reply(ctx, List.of("AVRO")));
    }

    private void configRoutes(RoutesConfig routes) {
        routes.get("/config", ctx -> reply(ctx, levelJson(store.globalLevel())));
        routes.put("/config", ctx -> reply(ctx, setLevel(ctx, null)));
        routes.delete("/config", this::deleteGlobalConfig);
        routes.get("/config/{subject}", this::subjectConfig);
        routes.put("/config/{subject}", ctx -> reply(ctx, setLevel(ctx, subject(ctx))));
        routes.delete("/config/{subject}", this::deleteSubjectConfig);
    }

    // ---- handlers

    private void register(Context ctx) {
        String subject = subject(ctx);
        SchemaStore.Version version = store.register(subject, schemaText(ctx));
        reply(ctx, Map.of("id", version.id()));
    }

    private void lookup(Context ctx) {
        reply(ctx, versionJson(store.lookup(subject(ctx), schemaText(ctx))));
    }

    private void deleteSubject(Context ctx) {
        if (flag(ctx, "permanent")) {
            throw RegistryError.badRequest(
                    "permanent deletion is not supported by this registry; delete without"
                            + " permanent=true");
        }
        reply(ctx, store.deleteSubject(subject(ctx)));
    }

    private void versionsOfId(Context ctx) {
        List<Map<String, Object>> uses =
                store.versionsOfId(id(ctx)).stream()
                        .map(
                                v ->
                                        Map.<String, Object>of(
                                                "subject", v.subject(), "version", v.version()))
                        .toList();
        reply(ctx, uses);
    }

    private void testVersion(Context ctx) {
        String schema = schemaText(ctx);
        List<String> problems =
                store.checkCompatibility(subject(ctx), ctx.pathParam("version"), schema);
        reply(ctx, compatibilityJson(ctx, problems));
    }

    private void testAll(Context ctx) {
        String schema = schemaText(ctx);
        reply(ctx, compatibilityJson(ctx, store.checkCompatibilityWithAll(subject(ctx), schema)));
    }

    private void subjectConfig(Context ctx) {
        String subject = subject(ctx);
        CompatibilityLevel level =
                store.subjectLevel(subject)
                        .or(
                                () ->
                                        flag(ctx, "defaultToGlobal")
                                                ? Optional.of(store.globalLevel())
                                                : Optional.empty())
                        .orElseThrow(() -> RegistryError.subjectLevelNotConfigured(subject));
        reply(ctx, levelJson(level));
    }

    private void deleteGlobalConfig(Context ctx) {
        CompatibilityLevel level = store.globalLevel();
        store.setLevel(null, null);
        reply(ctx, levelJson(level));
    }

    private void deleteSubjectConfig(Context ctx) {
        String subject = subject(ctx);
        CompatibilityLevel level =
                store.subjectLevel(subject)
                        .orElseThrow(() -> RegistryError.subjectLevelNotConfigured(subject));
        store.setLevel(subject, null);
        reply(ctx, levelJson(level));
    }

    private Map<String, String> setLevel(Context ctx, String subject) {
        String name = body(ctx).path("compatibility").asText(null);
        CompatibilityLevel level;
        try {
            level = CompatibilityLevel.parse(name);
        } catch (IllegalArgumentException e) {
            throw RegistryError.invalidCompatibilityLevel(name);
        }
        store.setLevel(subject, level);
        return Map.of("compatibility", level.name());
    }

    // ---- request parsing

    private void checkRequest(Context ctx) {
        if (expectedAuthorization != null && !"/health".equals(ctx.path())) {
            String sent = ctx.header("Authorization");
            if (sent == null
                    || !MessageDigest.isEqual(
                            expectedAuthorization, sent.getBytes(StandardCharsets.UTF_8))) {
                throw RegistryError.unauthorized(
                        sent == null
                                ? "Unauthorized: this registry requires HTTP basic"
                                        + " authentication; set basic.auth.user.info"
                                : "Unauthorized: wrong user or password in the basic"
                                        + " authentication header");
            }
        }
        String bodyType = ctx.contentType();
        if (bodyType != null && !ctx.body().isEmpty() && !acceptedBodyType(bodyType)) {
            throw RegistryError.unsupportedMediaType(bodyType);
        }
    }

    private static boolean acceptedBodyType(String contentType) {
        String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return ACCEPTED_BODY_TYPES.contains(bare);
    }

    private String schemaText(Context ctx) {
        JsonNode body = body(ctx);
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw RegistryError.invalidSchema(
                    "Invalid schemaType '" + type + "': this registry supports only AVRO schemas");
        }
        JsonNode references = body.path("references");
        if (references.isArray() && !references.isEmpty()) {
            throw RegistryError.invalidSchema(
                    "Invalid schema: schema references are not supported by this registry;"
                            + " inline the referenced types");
        }
        JsonNode schema = body.path("schema");
        return schema.isTextual() ? schema.asText() : null;
    }

    private JsonNode body(Context ctx) {
        try {
            JsonNode body = mapper.readTree(ctx.body());
            if (body == null || !body.isObject()) {
                throw RegistryError.badRequest("the request body must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw RegistryError.badRequest(
                    "the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String subject(Context ctx) {
        return ctx.pathParam("subject");
    }

    private SchemaStore.Version version(Context ctx) {
        return store.version(subject(ctx), ctx.pathParam("version"), flag(ctx, "deleted"));
    }

    private static int id(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw RegistryError.schemaNotFound("Schema " + id + " not found");
        }
    }

    private static boolean flag(Context ctx, String name) {
        return Boolean.parseBoolean(ctx.queryParam(name));
    }

    // ---- answers

    private Map<String, Object> versionJson(SchemaStore.Version version) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("subject", version.subject());
        json.put("version", version.version());
        json.put("id", version.id());
        json.put("schema", store.schemaById(version.id()).toString());
        return json;
    }

    private static Map<String, String> levelJson(CompatibilityLevel level) {
        return Map.of("compatibilityLevel", level.name());
    }

    private static Map<String, Object> compatibilityJson(Context ctx, List<String> problems) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("is_compatible", problems.isEmpty());
        if (flag(ctx, "verbose")) {
            json.put("messages", problems);
        }
        return json;
    }

    private void reply(Context ctx, Object body) {
        try {
            ctx.contentType(CONTENT_TYPE).result(mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void replyRaw(Context ctx, String json) {
        ctx.contentType(CONTENT_TYPE).result(json);
    }

    private void replyError(RegistryError error, Context ctx) {
        if (error.status() == 401) {
            ctx.header("WWW-Authenticate", "Basic realm=\"schema-registry\"");
        }
        writeError(ctx, error.status(), error.errorCode(), error.getMessage());
    }

    private void replyInternalError(Exception error, Context ctx) {
        LOG.warn("Schema registry request {} {} failed", ctx.method(), ctx.path(), error);
        writeError(ctx, 500, 50001, "Error in the backend data store: " + error.getMessage());
    }

    private void replyHttpError(HttpResponseException error, Context ctx) {
        int status = error.getStatus();
        writeError(ctx, status, status, "HTTP " + status + " " + error.getMessage());
    }

    private void writeError(Context ctx, int status, int errorCode, String message) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("error_code", errorCode);
        json.put("message", message);
        try {
            ctx.status(status).contentType(CONTENT_TYPE).result(mapper.writeValueAsString(json));
        } catch (JsonProcessingException e) {
            ctx.status(status).result(message);
        }
    }
}
