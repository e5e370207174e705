package io.forwardloop.ingest.gateway;

import static io.forwardloop.ingest.gateway.GatewayTesting.get;
import static io.forwardloop.ingest.gateway.GatewayTesting.post;
import static io.forwardloop.ingest.gateway.GatewayTesting.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.ForwardForwardNetwork;
import io.forwardloop.adapter.LowRankClassifier;
import io.forwardloop.ingest.adapters.DirectoryAdapterSource;
import io.forwardloop.ingest.gateway.GatewayTesting.Answer;
import io.forwardloop.ingest.gateway.GatewayTesting.CapturingLog;
import io.forwardloop.ingest.gateway.internal.RequestIds;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.Redaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API of a running gateway: answers, parity with the Java adapter, and bad input. */
class GatewayApiTest {
    private static final List<String> LABELS = List.of("negative", "positive");
    private static final AdapterSpec LOW_RANK =
            AdapterSpec.lowRankClassifier(384, 8, LABELS).loraScale(0.5f).build();
    private static final AdapterSpec FORWARD_FORWARD =
            AdapterSpec.forwardForward(384, List.of("a", "b", "c"), List.of(32, 16)).build();
    private static final AdapterParameters SENTIMENT = GatewayTesting.trained(LOW_RANK, 3L);
    private static final AdapterParameters TOPICS = GatewayTesting.trained(FORWARD_FORWARD, 4L);

    @TempDir static Path adapterDir;
    private static Gateway gateway;
    private static CapturingLog log;
    private static String url;

    @BeforeAll
    static void start() {
        DirectoryAdapterSource.write(adapterDir, "sentiment", 3, SENTIMENT);
        DirectoryAdapterSource.write(adapterDir, "topics", 1, TOPICS);
        log = new CapturingLog();
        Map<String, Object> config = new HashMap<>();
        config.put(GatewayConfig.HTTP_PORT, 0);
        config.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        config.put(GatewayConfig.ADAPTERS, "sentiment:negative|positive,fresh:no|yes");
        config.put(GatewayConfig.ADAPTER_SOURCE, "directory");
        config.put(GatewayConfig.ADAPTER_DIR, adapterDir.toString());
        config.put(GatewayConfig.TEXT_MAX_CHARS, 100);
        config.put(GatewayConfig.BATCH_MAX_TEXTS, 4);
        config.put(GatewayConfig.GATEWAY_ID, "test-gateway");
        gateway =
                Gateway.builder()
                        .config(config)
                        .encoder(GatewayTesting.encoder())
                        .recordLog(log)
                        .build()
                        .start();
        url = gateway.url();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void shouldAnswerOneTextWithLabelScoresRequestIdAndAdapterVersion() {
        Answer answer = predict(Map.of("adapter", "sentiment", "text", "The food was great"));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.body();
        assertThat(LABELS).contains(body.get("label").asText());
        assertThat(body.get("scores").size()).isEqualTo(2);
        assertThat(body.get("adapter").get("name").asText()).isEqualTo("sentiment");
        assertThat(body.get("adapter").get("version").asLong()).isEqualTo(3);
        assertThat(RequestIds.issuedAtMs(body.get("request_id").asText())).isPositive();
        assertThat(body.get("latency_ms").asDouble()).isPositive();
    }

    @Test
    void shouldMatchTheJavaLowRankClassifierThroughTheServingPath() {
        List<String> texts = List.of("Loved it", "Terrible service, never again", "It was fine");
        Answer answer = predict(Map.of("adapter", "sentiment", "texts", texts));

        float[][] activations = gateway.encoder().embed(texts);
        LowRankClassifier java = new LowRankClassifier(SENTIMENT);
        double maxDiff = 0;
        for (int n = 0; n < texts.size(); n++) {
            float[] expected = java.probabilities(activations[n]);
            JsonNode scores = answer.body().get("predictions").get(n).get("scores");
            for (int l = 0; l < LABELS.size(); l++) {
                maxDiff =
                        Math.max(
                                maxDiff,
                                Math.abs(expected[l] - scores.get(LABELS.get(l)).asDouble()));
            }
        }
        assertThat(maxDiff).isLessThan(1e-5);
        assertThat(answer.body().get("predictions")).hasSize(3);
    }

    @Test
    void shouldMatchTheJavaForwardForwardGoodnessThroughTheServingPath() {
        Answer answer = predict(Map.of("adapter", "topics", "text", "A story about trains"));

        float[] activation = gateway.encoder().embed(List.of("A story about trains"))[0];
        double[] expected = new ForwardForwardNetwork(TOPICS).goodnessPerLabel(activation);
        JsonNode scores = answer.body().get("scores");
        for (int l = 0; l < expected.length; l++) {
            String label = FORWARD_FORWARD.labels().get(l);
            assertThat(scores.get(label).asDouble())
                    .isCloseTo(expected[l], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void shouldServeAFreshAdapterFromTheSeedWhenNoVersionExists() {
        Answer answer = predict(Map.of("adapter", "fresh", "text", "anything"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("adapter").get("version").asLong()).isZero();
        assertThat(answer.body().get("scores").get("no").asDouble())
                .isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void shouldLogAnInferenceRecordWithThePooledActivationAndOnlyTheTextHash() {
        Answer answer = predict(Map.of("adapter", "sentiment", "text", "Logged sentence"));
        String id = answer.body().get("request_id").asText();

        InferenceRecord record =
                log.inference.stream()
                        .filter(r -> r.getRequestId().equals(id))
                        .findFirst()
                        .orElseThrow();
        assertThat(record.getActivation()).hasSize(384);
        assertThat(record.getBoundary()).isEqualTo("pooled");
        assertThat(record.getEncoderId()).isEqualTo("minilm-q");
        assertThat(record.getAdapterVersion()).isEqualTo(3);
        assertThat(record.getText()).isNull();
        assertThat(record.getRedaction()).isEqualTo(Redaction.HASH_ONLY);
        assertThat(record.getTextSha256()).hasSize(64);
        assertThat(record.getGatewayId()).isEqualTo("test-gateway");
        assertThat(record.getPredictedLabel()).isEqualTo(answer.body().get("label").asText());
    }

    @Test
    void shouldAcceptFeedbackOnceAndAnswerARepeatAsDuplicate() {
        String id =
                predict(Map.of("adapter", "sentiment", "text", "Fine"))
                        .body()
                        .get("request_id")
                        .asText();
        Map<String, Object> feedback =
                Map.of("request_id", id, "kind", "label", "label", "positive");

        Answer first = postJson(url + "/v1/feedback", feedback);
        Answer second = postJson(url + "/v1/feedback", feedback);

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.body().get("duplicate").asBoolean()).isFalse();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().get("duplicate").asBoolean()).isTrue();
        assertThat(second.body().get("feedback_id")).isEqualTo(first.body().get("feedback_id"));
        assertThat(log.feedback.stream().filter(f -> f.getRequestId().equals(id)))
                .singleElement()
                .satisfies(f -> assertThat(f.getKind()).isEqualTo(FeedbackKind.LABEL));
    }

    @Test
    void shouldTakeTheServedLabelAsTheRejectedOneWhenNoneIsGiven() {
        Answer answer = predict(Map.of("adapter", "sentiment", "text", "Meh"));
        String id = answer.body().get("request_id").asText();

        Answer reject = postJson(url + "/v1/feedback", Map.of("request_id", id, "kind", "reject"));

        assertThat(reject.status()).isEqualTo(202);
        assertThat(
                        log.feedback.stream()
                                .filter(f -> f.getRequestId().equals(id))
                                .findFirst()
                                .orElseThrow()
                                .getLabel())
                .isEqualTo(answer.body().get("label").asText());
    }

    @Test
    void shouldRefuseAnEmptyText() {
        assertError(
                predict(Map.of("adapter", "sentiment", "text", " ")),
                400,
                "empty_text",
                "non-blank");
    }

    @Test
    void shouldRefuseATextOverTheLimit() {
        assertError(
                predict(Map.of("adapter", "sentiment", "text", "x".repeat(101))),
                400,
                "text_too_long",
                "gateway.text.max.chars");
    }

    @Test
    void shouldRefuseABatchOverTheLimit() {
        assertError(
                predict(Map.of("adapter", "sentiment", "texts", List.of("a", "b", "c", "d", "e"))),
                400,
                "batch_too_large",
                "gateway.batch.max.texts");
    }

    @Test
    void shouldRefuseAnEmptyListOfTexts() {
        assertError(
                predict(Map.of("adapter", "sentiment", "texts", List.of())),
                400,
                "empty_batch",
                "send 1 to 4");
    }

    @Test
    void shouldRefuseAPredictionWithoutAnAdapterListingTheServedOnes() {
        Answer answer = predict(Map.of("text", "hello"));

        assertError(answer, 400, "missing_adapter", "\"adapter\"");
        assertThat(answer.body().get("adapters").toString()).contains("sentiment");
    }

    @Test
    void shouldRefuseBothTextAndTexts() {
        assertError(
                predict(Map.of("adapter", "sentiment", "text", "a", "texts", List.of("b"))),
                400,
                "invalid_request",
                "exactly one of");
    }

    @Test
    void shouldRefuseAnEmptyBody() {
        assertError(
                post(url + "/v1/predict", "application/json", ""),
                400,
                "malformed_json",
                "the body is empty");
    }

    @Test
    void shouldRefuseABodyOverTheSizeLimit() {
        String text = "x".repeat(100_000);
        Answer answer =
                post(
                        url + "/v1/predict",
                        "application/json",
                        "{\"adapter\": \"sentiment\", \"text\": \"" + text + "\"}");

        assertThat(answer.status()).as(answer.raw()).isEqualTo(413);
        assertThat(answer.body().get("error").asText()).isEqualTo("request_too_large");
    }

    @Test
    void shouldRefuseFeedbackOfAnUnknownKind() {
        String id = servedRequestId();

        assertError(
                postJson(url + "/v1/feedback", Map.of("request_id", id, "kind", "like")),
                400,
                "invalid_feedback",
                "use label, accept or reject");
        assertThat(log.feedback.stream().filter(f -> f.getRequestId().equals(id))).isEmpty();
    }

    @Test
    void shouldRefuseAnAcceptThatCarriesALabel() {
        String id = servedRequestId();

        assertError(
                postJson(
                        url + "/v1/feedback",
                        Map.of("request_id", id, "kind", "accept", "label", "positive")),
                400,
                "invalid_feedback",
                "an accept takes no \"label\"");
        assertThat(log.feedback.stream().filter(f -> f.getRequestId().equals(id))).isEmpty();
    }

    @Test
    void shouldRefuseAnUnknownAdapterListingTheServedOnes() {
        Answer answer = predict(Map.of("adapter", "nope", "text", "hello"));

        assertError(answer, 404, "unknown_adapter", "sentiment");
        assertThat(answer.body().get("adapters").toString())
                .contains("fresh", "sentiment", "topics");
    }

    @Test
    void shouldRefuseMalformedJson() {
        assertError(
                post(url + "/v1/predict", "application/json", "{\"adapter\": "),
                400,
                "malformed_json",
                "not valid JSON");
    }

    @Test
    void shouldRefuseAnUnknownField() {
        assertError(
                predict(Map.of("adapter", "sentiment", "text", "hi", "temperature", 1)),
                400,
                "unknown_field",
                "temperature");
    }

    @Test
    void shouldRefuseTheWrongContentType() {
        assertError(
                post(url + "/v1/predict", "text/plain", "hello"),
                415,
                "unsupported_media_type",
                "application/json");
    }

    @Test
    void shouldRefuseFeedbackForAnUnknownRequest() {
        assertError(
                postJson(url + "/v1/feedback", Map.of("request_id", "not-an-id", "kind", "accept")),
                404,
                "unknown_request",
                "not-an-id");
    }

    @Test
    void shouldRefuseFeedbackForARequestNoLongerHeld() {
        String old = RequestIds.next(System.currentTimeMillis() - 10_000);

        assertError(
                postJson(url + "/v1/feedback", Map.of("request_id", old, "kind", "accept")),
                410,
                "expired_request",
                "gateway.request.ttl.ms");
    }

    @Test
    void shouldRefuseFeedbackWithALabelTheAdapterDoesNotHave() {
        String id =
                predict(Map.of("adapter", "sentiment", "text", "Ok"))
                        .body()
                        .get("request_id")
                        .asText();

        assertError(
                postJson(
                        url + "/v1/feedback",
                        Map.of("request_id", id, "kind", "label", "label", "maybe")),
                400,
                "invalid_feedback",
                "[negative, positive]");
    }

    @Test
    void shouldListAdaptersAndReportHealthReadinessAndMetrics() {
        Answer adapters = get(url + "/v1/adapters");
        Answer ready = get(url + "/ready");
        Answer metrics = get(url + "/metrics");

        assertThat(adapters.body().get("adapters")).hasSize(3);
        assertThat(get(url + "/health").body().get("status").asText()).isEqualTo("UP");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().get("adapters").toString())
                .contains("fresh", "sentiment", "topics");
        assertThat(ready.body().get("encoder").asText()).isEqualTo("minilm-q");
        assertThat(ready.body().get("adapter_source").get("state").asText()).isEqualTo("FOLLOWING");
        assertThat(ready.body().get("adapter_source").get("source").asText())
                .contains(adapterDir.toString());
        assertThat(metrics.raw())
                .contains(
                        "adapter_reload_total",
                        "gateway_batch_size_count",
                        "gateway_predict_latency_seconds_count",
                        "gateway_queue_texts");
    }

    @Test
    void shouldAnswerAnUnknownPathWithAJsonError() {
        assertError(get(url + "/v2/predict"), 404, "not_found", "/v2/predict");
    }

    private static String servedRequestId() {
        Answer answer = predict(Map.of("adapter", "sentiment", "text", "Fine"));
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        return answer.body().get("request_id").asText();
    }

    private static Answer predict(Map<String, Object> body) {
        return postJson(url + "/v1/predict", body);
    }

    private static void assertError(Answer answer, int status, String code, String message) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.body().get("error").asText()).isEqualTo(code);
        assertThat(answer.body().get("message").asText()).contains(message);
    }

    static List<String> texts(int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add("sentence number " + i);
        }
        return texts;
    }
}
