package io.forwardloop.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A small HTTP client for tests that speaks the registry's REST API without any registry client.
 */
final class RegistryHttp {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String authorization;

    RegistryHttp(String baseUrl) {
        this(baseUrl, null);
    }

    RegistryHttp(String baseUrl, String userInfo) {
        this.baseUrl = baseUrl;
        this.authorization =
                userInfo == null
                        ? null
                        : "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    /** An HTTP answer: status and parsed JSON body. */
    record Answer(int status, JsonNode body, String contentType) {
        int errorCode() {
            return body.path("error_code").asInt(-1);
        }

        String message() {
            return body.path("message").asText();
        }
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    Answer post(String path, Object body) {
        return send(request(path).POST(json(body)));
    }

    Answer put(String path, Object body) {
        return send(request(path).PUT(json(body)));
    }

    /** Registers {@code schema} under {@code subject} and returns the whole answer. */
    Answer register(String subject, String schema) {
        return post("/subjects/" + subject + "/versions", Map.of("schema", schema));
    }

    /** Registers {@code schema} and returns its id, failing when the registry refuses. */
    int registerOk(String subject, String schema) {
        Answer answer = register(subject, schema);
        if (answer.status() != 200) {
            throw new AssertionError("registration refused: " + answer);
        }
        return answer.body().path("id").asInt();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .header("Content-Type", CONTENT_TYPE);
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            String text = body instanceof String s ? s : MAPPER.writeValueAsString(body);
            return HttpRequest.BodyPublishers.ofString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            return new Answer(response.statusCode(), MAPPER.readTree(response.body()), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
