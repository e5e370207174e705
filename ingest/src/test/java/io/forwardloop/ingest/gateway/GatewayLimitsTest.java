package io.forwardloop.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.ingest.gateway.GatewayTesting.Answer;
import io.forwardloop.ingest.gateway.GatewayTesting.CapturingLog;
import io.forwardloop.ingest.gateway.GatewayTesting.ControlledEncoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A gateway at its limits: a full queue, and feedback for requests it no longer holds. */
class GatewayLimitsTest {

    @Test
    void shouldAnswer503AndQueueNoneOfARequestThatDoesNotFitTheQueue() throws Exception {
        ControlledEncoder encoder = new ControlledEncoder();
        Map<String, Object> config = config();
        config.put(GatewayConfig.QUEUE_MAX_TEXTS, 3);
        config.put(GatewayConfig.BATCH_MAX_TEXTS, 2);
        config.put(GatewayConfig.BATCH_MAX_WAIT_MS, 0);
        try (Gateway gateway = start(config, encoder)) {
            encoder.shut();
            CompletableFuture<Answer> first = predictAsync(gateway, List.of("first"));
            encoder.awaitCall();
            CompletableFuture<Answer> queued = predictAsync(gateway, List.of("two", "texts"));
            Awaitility.await().until(() -> queuedTexts(gateway) == 2.0);

            Answer refused = predict(gateway, List.of("no", "room"));
            double queuedAfterRefusal = queuedTexts(gateway);
            encoder.open();

            assertThat(refused.status()).as(refused.raw()).isEqualTo(503);
            assertThat(refused.body().get("error").asText()).isEqualTo("overloaded");
            assertThat(refused.body().get("message").asText())
                    .contains("2 texts are waiting", "brings 2", "gateway.queue.max.texts");
            assertThat(queuedAfterRefusal).isEqualTo(2.0);
            assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(queued.get(30, TimeUnit.SECONDS).body().get("predictions")).hasSize(2);
            assertThat(encoder.batchSizes).containsExactly(1, 2);
        }
    }

    @Test
    void shouldAnswer410ForFeedbackOnARequestPushedOutOfTheCache() {
        Map<String, Object> config = config();
        config.put(GatewayConfig.REQUEST_CACHE_SIZE, 1);
        try (Gateway gateway = start(config, GatewayTesting.encoder())) {
            String older = requestId(predict(gateway, List.of("older")));
            String newer = requestId(predict(gateway, List.of("newer")));

            Answer expired = accept(gateway, older);
            Answer held = accept(gateway, newer);

            assertThat(expired.status()).as(expired.raw()).isEqualTo(410);
            assertThat(expired.body().get("error").asText()).isEqualTo("expired_request");
            assertThat(expired.body().get("message").asText())
                    .contains(older, "gateway.request.cache.size");
            assertThat(held.status()).as(held.raw()).isEqualTo(202);
        }
    }

    @Test
    void shouldAnswer410ForFeedbackOnARequestPastItsTimeToLive() throws InterruptedException {
        Map<String, Object> config = config();
        config.put(GatewayConfig.REQUEST_TTL_MS, 100);
        try (Gateway gateway = start(config, GatewayTesting.encoder())) {
            String id = requestId(predict(gateway, List.of("soon forgotten")));
            Thread.sleep(300);

            Answer expired = accept(gateway, id);

            assertThat(expired.status()).as(expired.raw()).isEqualTo(410);
            assertThat(expired.body().get("message").asText())
                    .contains(id, "gateway.request.ttl.ms");
        }
    }

    private static Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>();
        config.put(GatewayConfig.HTTP_PORT, 0);
        config.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        config.put(GatewayConfig.ADAPTERS, "sentiment:negative|positive");
        config.put(GatewayConfig.SUMMARY_INTERVAL_MS, 0);
        return config;
    }

    private static Gateway start(
            Map<String, Object> config, io.forwardloop.ingest.encoder.Encoder e) {
        return Gateway.builder()
                .config(config)
                .encoder(e)
                .recordLog(new CapturingLog())
                .build()
                .start();
    }

    private static double queuedTexts(Gateway gateway) {
        return gateway.meters().get("gateway.queue.texts").gauge().value();
    }

    private static Answer predict(Gateway gateway, List<String> texts) {
        Map<String, Object> body =
                texts.size() == 1
                        ? Map.of("adapter", "sentiment", "text", texts.get(0))
                        : Map.of("adapter", "sentiment", "texts", texts);
        return GatewayTesting.postJson(gateway.url() + "/v1/predict", body);
    }

    private static CompletableFuture<Answer> predictAsync(Gateway gateway, List<String> texts) {
        return CompletableFuture.supplyAsync(() -> predict(gateway, texts));
    }

    private static String requestId(Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        return answer.body().get("request_id").asText();
    }

    private static Answer accept(Gateway gateway, String requestId) {
        return GatewayTesting.postJson(
                gateway.url() + "/v1/feedback", Map.of("request_id", requestId, "kind", "accept"));
    }
}
