package io.forwardloop.registry.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.RegistryConfig;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.RegistryException.Reason;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned JSON API, the dashboard routes, health, readiness and metrics, with bearer-token
 * checks and the mapping of every failure to a JSON error body.
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String JSON = "application/json";
    private static final String ADAPTER = "/v1/adapters/{name}";
    private static final String VERSION = ADAPTER + "/versions/{version}";
    private static final String ALIAS = ADAPTER + "/aliases/{alias}";

    private final RegistryStore store;
    private final Database database;
    private final PrometheusMeterRegistry meters;
    private final Runnable onAliasMove;
    private final Dashboard dashboard;
    private final ObjectMapper mapper = Json.strict();
    private final byte[] expectedAuthorization;
    private final boolean readAuthRequired;
    private final long artifactMaxBytes;

    public HttpApi(
            RegistryStore store,
            Database database,
            PrometheusMeterRegistry meters,
            RegistryConfig config,
            Runnable onAliasMove) {
        this.store = store;
        this.database = database;
        this.meters = meters;
        this.onAliasMove = onAliasMove;
        this.dashboard = new Dashboard(store);
        String token = config.authToken();
        this.expectedAuthorization =
                token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.readAuthRequired = config.readAuthRequired();
        this.artifactMaxBytes = config.artifactMaxBytes();
    }

    /** The largest request body the server reads: a base64 artifact at the limit, plus metadata. */
    public static long maxRequestBytes(long artifactMaxBytes) {
        return artifactMaxBytes / 3 * 4 + 4 + 1024 * 1024;
    }

    /** Installs routes, the token check and the error mapping on {@code config}. */
    public void install(JavalinConfig config) {
        config.http.maxRequestSize = maxRequestBytes(artifactMaxBytes);
        RoutesConfig routes = config.routes;
        routes.before(this::checkAuthorization);
        operationalRoutes(routes);
        readRoutes(routes);
        writeRoutes(routes);
        routes.get("/", ctx -> ctx.html(dashboard.index()));
        routes.get("/ui/adapters/{name}", ctx -> ctx.html(dashboard.adapter(name(ctx))));
        routes.exception(RegistryException.class, this::replyError);
        routes.exception(JacksonException.class, (e, ctx) -> replyError(badJson(e), ctx));
        routes.exception(HttpResponseException.class, this::replyHttpError);
        routes.exception(Exception.class, this::replyInternalError);
    }

    private void operationalRoutes(RoutesConfig routes) {
        routes.get("/health", ctx -> reply(ctx, Map.of("status", "UP")));
        routes.get("/ready", this::ready);
        routes.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4").result(meters.scrape()));
    }

    private void readRoutes(RoutesConfig routes) {
        routes.get("/v1/adapters", ctx -> reply(ctx, store.adapters()));
        routes.get(ADAPTER, ctx -> reply(ctx, store.adapter(name(ctx))));
        routes.get(ADAPTER + "/versions", ctx -> reply(ctx, store.versions(name(ctx))));
        routes.get(VERSION, ctx -> reply(ctx, store.version(name(ctx), version(ctx))));
        routes.get(VERSION + "/lineage", ctx -> reply(ctx, store.lineage(name(ctx), version(ctx))));
        routes.get(
                VERSION + "/artifact",
                ctx -> artifact(ctx, store.version(name(ctx), version(ctx)).artifactSha256()));
        routes.get("/v1/artifacts/{sha256}", ctx -> artifact(ctx, ctx.pathParam("sha256")));
        routes.get(ADAPTER + "/aliases", ctx -> reply(ctx, store.aliases(name(ctx))));
        routes.get(ALIAS, ctx -> reply(ctx, store.alias(name(ctx), alias(ctx))));
    }

    private void writeRoutes(RoutesConfig routes) {
        routes.post(ADAPTER + "/versions", this::publish);
        routes.post(VERSION + "/retire", ctx -> reply(ctx, store.retire(name(ctx), version(ctx))));
        routes.put(ALIAS, this::promote);
        routes.post(
                ALIAS + "/rollback",
                ctx -> aliasMoved(ctx, () -> store.rollback(name(ctx), alias(ctx))));
    }

    // ---- handlers

    private void ready(Context ctx) {
        if (!database.isReachable()) {
            ctx.status(503);
            reply(ctx, Map.of("status", "NOT_READY", "reason", "the database does not answer"));
            return;
        }
        reply(ctx, Map.of("status", "READY", "outbox_pending", store.pendingEvents()));
    }

    private void publish(Context ctx) {
        String name = Validation.adapterName(name(ctx));
        checkContentLength(ctx);
        PublishBody body = parse(ctx.bodyAsBytes(), PublishBody.class, "publish request");
        byte[] artifact = decodeArtifact(body.artifact());
        String sha = Hashes.sha256(artifact);
        checkExpectedSha(body.artifactSha256(), sha);
        RegistryStore.Published published = store.publish(name, artifact, sha, body.metadata());
        AdapterVersion v = published.version();
        meters.counter("registry.versions.published", "created", "" + published.created())
                .increment();
        if (published.created()) {
            LOG.info(
                    "Published {} version {} ({} bytes, {})",
                    name,
                    v.version(),
                    artifact.length,
                    sha);
        }
        ctx.status(published.created() ? 201 : 200);
        ctx.header("Location", "/v1/adapters/" + name + "/versions/" + v.version());
        reply(ctx, v);
    }

    private void checkContentLength(Context ctx) {
        long length = ctx.contentLength();
        if (length > maxRequestBytes(artifactMaxBytes)) {
            throw tooLarge("the request body is " + length + " bytes");
        }
    }

    private byte[] decodeArtifact(String base64) {
        if (base64 == null || base64.isEmpty()) {
            throw Validation.bad("artifact is required: the adapter file's bytes in base64");
        }
        byte[] artifact;
        try {
            artifact = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw Validation.bad("artifact is not valid base64: " + e.getMessage());
        }
        if (artifact.length > artifactMaxBytes) {
            throw tooLarge("the artifact is " + artifact.length + " bytes");
        }
        return artifact;
    }

    private RegistryException tooLarge(String what) {
        return new RegistryException(
                Reason.TOO_LARGE,
                what
                        + ", over the limit of "
                        + artifactMaxBytes
                        + " artifact bytes ("
                        + RegistryConfig.ARTIFACT_MAX_BYTES
                        + "); shrink the adapter or raise the limit");
    }

    private static void checkExpectedSha(String expected, String actual) {
        if (expected != null && !expected.equalsIgnoreCase(actual)) {
            throw Validation.bad(
                    "artifact_sha256 says "
                            + expected
                            + " but the artifact's SHA-256 is "
                            + actual
                            + "; the upload was corrupted or the hash is of another file");
        }
    }

    private void promote(Context ctx) {
        PromoteBody body = parse(ctx.bodyAsBytes(), PromoteBody.class, "promote request");
        if (body.version() == null || body.version() < 1) {
            throw Validation.bad("give the version to promote as {\"version\": N}, N >= 1");
        }
        aliasMoved(ctx, () -> store.promote(name(ctx), alias(ctx), body.version()));
    }

    private void aliasMoved(Context ctx, java.util.function.Supplier<Object> move) {
        Object alias = move.get();
        meters.counter("registry.alias.moves").increment();
        onAliasMove.run();
        reply(ctx, alias);
    }

    /** The body of a promote request. */
    record PromoteBody(Long version) {}

    private void artifact(Context ctx, String sha256) {
        Validation.sha256(sha256);
        String etag = "\"" + sha256 + "\"";
        ctx.header("ETag", etag).header("X-Artifact-Sha256", sha256);
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/octet-stream").result(store.artifact(sha256));
    }

    // ---- authorization

    private void checkAuthorization(Context ctx) {
        String path = ctx.path();
        if (expectedAuthorization == null || path.equals("/health") || path.equals("/ready")) {
            return;
        }
        boolean read = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
        if (read && !readAuthRequired) {
            return;
        }
        String given = ctx.header("Authorization");
        byte[] bytes = given == null ? new byte[0] : given.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(bytes, expectedAuthorization)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"model-registry\"");
            throw new RegistryException(
                    Reason.UNAUTHORIZED,
                    (given == null ? "no Authorization header" : "the bearer token is wrong")
                            + "; send 'Authorization: Bearer <token>' with the token configured"
                            + " as "
                            + RegistryConfig.AUTH_TOKEN);
        }
    }

    // ---- parsing and replies

    private <T> T parse(byte[] body, Class<T> type, String what) {
        if (body.length == 0) {
            throw Validation.bad("the " + what + " has no body; send a JSON object");
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw Validation.bad("the " + what + " is null; send a JSON object");
            }
            return value;
        } catch (java.io.IOException e) {
            throw badJson(e);
        }
    }

    private static RegistryException badJson(Exception e) {
        return Validation.bad(Json.problem("the body", e));
    }

    private void reply(Context ctx, Object value) {
        ctx.contentType(JSON).result(Json.write(mapper, value));
    }

    private void replyError(RegistryException e, Context ctx) {
        if (e.reason() == Reason.UNAVAILABLE) {
            LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e);
        }
        ctx.status(e.reason().status());
        reply(ctx, errorBody(e.reason().code(), e.getMessage()));
    }

    private void replyHttpError(HttpResponseException e, Context ctx) {
        if (e.getStatus() == 413) {
            replyError(tooLarge("the request body is larger than the server reads"), ctx);
            return;
        }
        ctx.status(e.getStatus());
        reply(ctx, errorBody("http_" + e.getStatus(), e.getMessage()));
    }

    private void replyInternalError(Exception e, Context ctx) {
        LOG.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
        ctx.status(500);
        reply(
                ctx,
                errorBody(
                        "internal",
                        "the registry failed unexpectedly: " + e + "; see the server log"));
    }

    private static Map<String, String> errorBody(String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    private static String name(Context ctx) {
        return Validation.adapterName(ctx.pathParam("name"));
    }

    private static String alias(Context ctx) {
        return Validation.alias(ctx.pathParam("alias"));
    }

    private static long version(Context ctx) {
        return Validation.version(ctx.pathParam("version"));
    }
}
