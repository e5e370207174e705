package io.forwardloop.loop.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The gateway's HTTP API as the traffic player and the evaluation call it. */
public final class GatewayHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String adapter;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An answer: HTTP status and the JSON body. */
    public record Answer(int status, JsonNode body) {}

    public GatewayHttp(String baseUrl, String adapter) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.adapter = adapter;
    }

    /** Predicts one text. */
    public Answer predict(String text) {
        return post("v1/predict", Map.of("adapter", adapter, "text", text));
    }

    /** Predicts a batch of texts in one call; the answer holds {@code predictions}. */
    public Answer predict(List<String> texts) {
        return post("v1/predict", Map.of("adapter", adapter, "texts", texts));
    }

    /** Sends feedback of {@code kind} ({@code label}, {@code accept}, {@code reject}). */
    public Answer feedback(String requestId, String kind, String label) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_id", requestId);
        body.put("kind", kind);
        if (label != null) {
            body.put("label", label);
        }
        return post("v1/feedback", body);
    }

    private Answer post(String path, Object body) {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(base.resolve(path))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(
                                    HttpRequest.BodyPublishers.ofByteArray(
                                            JSON.writeValueAsBytes(body)))
                            .build();
            HttpResponse<byte[]> response =
                    client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException("gateway call " + base.resolve(path) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the gateway", e);
        }
    }
}
