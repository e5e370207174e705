package io.forwardloop.ingest.gateway.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.forwardloop.ingest.adapters.AdapterRegistry;
import io.forwardloop.ingest.adapters.AdapterSource;
import io.forwardloop.ingest.adapters.ServedAdapter;
import io.forwardloop.ingest.adapters.UnknownAdapterException;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.gateway.GatewayConfig;
import io.forwardloop.ingest.gateway.Prediction;
import io.forwardloop.ingest.gateway.internal.ApiBodies.FeedbackRequest;
import io.forwardloop.ingest.gateway.internal.ApiBodies.PredictRequest;
import io.forwardloop.ingest.logging.RecordLog;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP API: {@code POST /v1/predict}, {@code POST /v1/feedback}, {@code GET
 * /v1/adapters}, {@code GET /health}, {@code GET /ready} and {@code GET /metrics}; every error is a
 * JSON body {@code {"error": code, "message": ...}} with a 4xx or 5xx status.
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final GatewayConfig config;
    private final Encoder encoder;
    private final AdapterRegistry adapters;
    private final AdapterSource source;
    private final MicroBatcher batcher;
    private final RequestCache requests;
    private final RecordLog log;
    private final Records records;
    private final PrometheusMeterRegistry meters;
    private final Timer predictTimer;

    /**
     * The parts of the gateway the API answers from.
     *
     * @param source where adapter versions come from, or null for none
     */
    public record Parts(
            Encoder encoder,
            AdapterRegistry adapters,
            AdapterSource source,
            MicroBatcher batcher,
            RequestCache requests,
            RecordLog log) {}

    public HttpApi(
            GatewayConfig config, Parts parts, Records records, PrometheusMeterRegistry meters) {
        this.config = config;
        this.encoder = parts.encoder();
        this.adapters = parts.adapters();
        this.source = parts.source();
        this.batcher = parts.batcher();
        this.requests = parts.requests();
        this.log = parts.log();
        this.records = records;
        this.meters = meters;
        this.predictTimer =
                Timer.builder("gateway.predict.latency")
                        .publishPercentileHistogram()
                        .register(meters);
    }

    /** Installs routes and error mapping on {@code javalin}. */
    public void install(JavalinConfig javalin) {
        javalin.http.maxRequestSize =
                (long) config.batchMaxTexts() * config.textMaxChars() * 4 + 64 * 1024;
        RoutesConfig routes = javalin.routes;
        routes.post("/v1/predict", this::predict);
        routes.post("/v1/feedback", this::feedback);
        routes.get("/v1/adapters", ctx -> ctx.json(adapterList()));
        routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
        routes.get("/ready", this::ready);
        routes.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4").result(meters.scrape()));
        routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
        routes.exception(HttpResponseException.class, this::httpError);
        routes.exception(Exception.class, this::internalError);
    }

    // ---- predict

    private void predict(Context ctx) {
        long start = System.nanoTime();
        PredictRequest request = parse(ctx, PredictRequest.class);
        List<String> texts = texts(request);
        String adapter = checkAdapter(request.adapter());
        List<CompletableFuture<Timed>> futures = submit(adapter, texts, start);
        boolean single = request.text() != null;
        ctx.future(
                () ->
                        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                                .handle(
                                        (ok, failure) ->
                                                answer(ctx, futures, single, failure, start)));
    }

    private record Timed(Prediction prediction, double latencyMs) {}

    /** Queues every text of the request, or none when the queue has no room for all. */
    private List<CompletableFuture<Timed>> submit(String adapter, List<String> texts, long start) {
        long now = System.currentTimeMillis();
        List<String> ids = texts.stream().map(t -> RequestIds.next(now)).toList();
        List<CompletableFuture<Prediction>> predictions;
        try {
            predictions = batcher.submitAll(ids, adapter, texts);
        } catch (MicroBatcher.OverloadedException e) {
            throw new ApiException(503, "overloaded", e.getMessage());
        }
        return predictions.stream()
                .map(f -> f.thenApply(p -> new Timed(p, (System.nanoTime() - start) / 1e6)))
                .toList();
    }

    private Object answer(
            Context ctx,
            List<CompletableFuture<Timed>> futures,
            boolean single,
            Throwable failure,
            long start) {
        if (failure != null) {
            internalError(unwrap(failure), ctx);
            return null;
        }
        List<Map<String, Object>> answers = new ArrayList<>(futures.size());
        for (CompletableFuture<Timed> future : futures) {
            Timed timed = future.join();
            served(timed.prediction());
            answers.add(answer(timed));
        }
        predictTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        count("predict", 200);
        ctx.json(single ? answers.get(0) : Map.of("predictions", answers));
        return null;
    }

    private void served(Prediction p) {
        requests.put(
                p.requestId(),
                p.adapter().name(),
                p.adapter().version(),
                p.adapter().labels(),
                p.label(),
                p.servedAtMs());
        log.inference(records.inference(p));
    }

    private static Map<String, Object> answer(Timed timed) {
        Prediction p = timed.prediction();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("request_id", p.requestId());
        answer.put("label", p.label());
        answer.put("scores", p.scoresByLabel());
        answer.put("adapter", adapterRef(p.adapter()));
        answer.put("latency_ms", Math.round(timed.latencyMs() * 1000) / 1000.0);
        return answer;
    }

    private static Map<String, Object> adapterRef(ServedAdapter adapter) {
        return Map.of("name", adapter.name(), "version", adapter.version());
    }

    private List<String> texts(PredictRequest request) {
        if ((request.text() == null) == (request.texts() == null)) {
            throw new ApiException(
                    400,
                    "invalid_request",
                    "give exactly one of \"text\" (a string) or \"texts\" (a list of strings)");
        }
        List<String> texts = request.text() != null ? List.of(request.text()) : request.texts();
        if (texts.isEmpty() || texts.size() > config.batchMaxTexts()) {
            throw new ApiException(
                    400,
                    texts.isEmpty() ? "empty_batch" : "batch_too_large",
                    "\"texts\" holds "
                            + texts.size()
                            + " texts; send 1 to "
                            + config.batchMaxTexts()
                            + " ("
                            + GatewayConfig.BATCH_MAX_TEXTS
                            + ") per request");
        }
        for (int i = 0; i < texts.size(); i++) {
            checkText(texts.get(i), texts.size() == 1 && request.text() != null ? -1 : i);
        }
        return texts;
    }

    private void checkText(String text, int index) {
        String where = index < 0 ? "\"text\"" : "\"texts\"[" + index + "]";
        if (text == null || text.isBlank()) {
            throw new ApiException(
                    400, "empty_text", where + " is empty; send a non-blank text to classify");
        }
        if (text.length() > config.textMaxChars()) {
            throw new ApiException(
                    400,
                    "text_too_long",
                    where
                            + " has "
                            + text.length()
                            + " characters; the limit is "
                            + config.textMaxChars()
                            + " ("
                            + GatewayConfig.TEXT_MAX_CHARS
                            + "); shorten or split it");
        }
    }

    private String checkAdapter(String name) {
        if (name == null || name.isBlank()) {
            throw new ApiException(
                    400,
                    "missing_adapter",
                    "name the adapter in \"adapter\"; served: " + adapters.names(),
                    Map.of("adapters", adapters.names()));
        }
        if (adapters.current(name).isEmpty()) {
            UnknownAdapterException e = new UnknownAdapterException(name, adapters.names());
            throw new ApiException(
                    404, "unknown_adapter", e.getMessage(), Map.of("adapters", e.known()));
        }
        return name;
    }

    // ---- feedback

    private void feedback(Context ctx) {
        FeedbackRequest request = parse(ctx, FeedbackRequest.class);
        long now = System.currentTimeMillis();
        RequestCache.Entry entry = entry(request.requestId(), now);
        FeedbackKind kind = kind(request.kind());
        String label = label(kind, request.label(), entry);
        String feedbackId = Records.feedbackId(request.requestId(), kind, label);
        boolean fresh = entry.addFeedback(feedbackId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("feedback_id", feedbackId);
        body.put("request_id", request.requestId());
        body.put("duplicate", !fresh);
        if (fresh) {
            log.feedback(Records.feedback(request.requestId(), kind, label, now));
        } else {
            meters.counter("gateway.feedback.duplicate").increment();
        }
        count("feedback", fresh ? 202 : 200);
        ctx.status(fresh ? 202 : 200).json(body);
    }

    private RequestCache.Entry entry(String requestId, long now) {
        if (requestId == null || requestId.isBlank()) {
            throw new ApiException(
                    400, "missing_request_id", "give the \"request_id\" a predict answer returned");
        }
        RequestCache.Entry entry = requests.get(requestId, now);
        if (entry != null) {
            return entry;
        }
        if (requests.missing(requestId, now) == RequestCache.Lookup.EXPIRED) {
            throw new ApiException(
                    410,
                    "expired_request",
                    "request "
                            + requestId
                            + " is no longer held for feedback (older than "
                            + GatewayConfig.REQUEST_TTL_MS
                            + " or beyond "
                            + GatewayConfig.REQUEST_CACHE_SIZE
                            + " recent requests); give feedback sooner");
        }
        throw new ApiException(
                404,
                "unknown_request",
                "request " + requestId + " was not served by this gateway; check the request_id");
    }

    private static FeedbackKind kind(String kind) {
        String k = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
        return switch (k) {
            case "label" -> FeedbackKind.LABEL;
            case "accept" -> FeedbackKind.ACCEPT;
            case "reject" -> FeedbackKind.REJECT;
            default ->
                    throw new ApiException(
                            400,
                            "invalid_feedback",
                            "\"kind\" is '" + kind + "'; use label, accept or reject");
        };
    }

    private static String label(FeedbackKind kind, String label, RequestCache.Entry entry) {
        if (kind == FeedbackKind.ACCEPT) {
            if (label != null) {
                throw new ApiException(
                        400, "invalid_feedback", "an accept takes no \"label\"; leave it out");
            }
            return null;
        }
        String chosen =
                label == null && kind == FeedbackKind.REJECT ? entry.predictedLabel() : label;
        if (chosen == null || !entry.labels().contains(chosen)) {
            throw new ApiException(
                    400,
                    "invalid_feedback",
                    "\"label\" is '"
                            + label
                            + "'; a "
                            + kind.name().toLowerCase(Locale.ROOT)
                            + " needs one of adapter `"
                            + entry.adapter()
                            + "`'s labels "
                            + entry.labels(),
                    Map.of("labels", entry.labels()));
        }
        return chosen;
    }

    // ---- adapters, readiness

    private Map<String, Object> adapterList() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ServedAdapter adapter : adapters.adapters()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", adapter.name());
            item.put("version", adapter.version());
            item.put("kind", adapter.kind().name());
            item.put("labels", adapter.labels());
            item.put("sha256", adapter.sha256());
            item.put("origin", adapter.origin());
            item.put("loaded_at_ms", adapter.loadedAtMs());
            list.add(item);
        }
        return Map.of("adapters", list, "encoder", encoder.id().id());
    }

    private void ready(Context ctx) {
        RecordLog.Status status = log.status();
        boolean ready = !adapters.names().isEmpty();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "READY" : "NOT_READY");
        body.put("encoder", encoder.id().id());
        body.put("adapters", adapters.names());
        body.put(
                "kafka",
                Map.of(
                        "state", status.state().name(),
                        "buffered", status.buffered(),
                        "sent", status.sent(),
                        "dropped", status.dropped()));
        if (source != null) {
            AdapterSource.Status followed = source.status();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("source", source.describe());
            detail.put("state", followed.state().name());
            detail.put("errors", followed.errors());
            detail.put("last_error", followed.lastError());
            body.put("adapter_source", detail);
        }
        ctx.status(ready ? 200 : 503).json(body);
    }

    // ---- parsing and errors

    private static <T> T parse(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null
                || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "Content-Type is '"
                            + contentType
                            + "'; send the body as JSON with Content-Type: application/json");
        }
        try {
            byte[] body = ctx.bodyAsBytes();
            if (new String(body, StandardCharsets.UTF_8).isBlank()) {
                throw new ApiException(
                        400, "malformed_json", "the body is empty; send a JSON object");
            }
            T value = JSON.readValue(body, type);
            if (value == null) {
                throw new ApiException(
                        400, "malformed_json", "the body is JSON null; send a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(
                    400,
                    "unknown_field",
                    "field \""
                            + e.getPropertyName()
                            + "\" is not part of this request; known fields: "
                            + e.getKnownPropertyIds());
        } catch (JacksonException e) {
            throw new ApiException(
                    400,
                    "malformed_json",
                    "the body is not valid JSON for this request: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ApiException(
                    400, "malformed_json", "could not read the body: " + e.getMessage());
        }
    }

    private void error(Context ctx, ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        body.putAll(e.details());
        count(endpoint(ctx), e.status());
        ctx.status(e.status()).json(body);
    }

    private void httpError(HttpResponseException e, Context ctx) {
        if (e.getStatus() == 404 || e.getStatus() == 405) {
            error(
                    ctx,
                    new ApiException(
                            e.getStatus(),
                            e.getStatus() == 404 ? "not_found" : "method_not_allowed",
                            ctx.method()
                                    + " "
                                    + ctx.path()
                                    + " is not an endpoint of this gateway; see /v1/predict,"
                                    + " /v1/feedback, /v1/adapters, /health, /ready, /metrics"));
            return;
        }
        String code = e.getStatus() == 413 ? "request_too_large" : "http_" + e.getStatus();
        error(ctx, new ApiException(e.getStatus(), code, e.getMessage()));
    }

    private void internalError(Throwable e, Context ctx) {
        if (e instanceof ApiException api) {
            error(ctx, api);
            return;
        }
        LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.toString(), e);
        error(ctx, new ApiException(500, "internal", "the gateway failed to answer: " + e));
    }

    private void internalError(Exception e, Context ctx) {
        internalError((Throwable) e, ctx);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String endpoint(Context ctx) {
        return switch (ctx.path()) {
            case "/v1/predict" -> "predict";
            case "/v1/feedback" -> "feedback";
            case "/v1/adapters" -> "adapters";
            default -> "other";
        };
    }

    private void count(String endpoint, int status) {
        meters.counter("gateway.requests", "endpoint", endpoint, "status", "" + status).increment();
    }
}
