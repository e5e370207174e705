package io.forwardloop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.platform.ProbeServer.Probe;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ProbeServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicBoolean ready = new AtomicBoolean();

    private ProbeServer start(int port) {
        return ProbeServer.start(
                "127.0.0.1",
                port,
                "demo.http.port",
                () -> new Probe(200, "{\"status\":\"UP\"}"),
                () -> new Probe(ready.get() ? 200 : 503, "{\"ready\":" + ready.get() + "}"),
                () -> "demo_total 3\n");
    }

    private HttpResponse<String> send(ProbeServer server, String method, String path)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerEachProbeWithItsCurrentStatusAndBody() throws Exception {
        try (ProbeServer server = start(0)) {
            assertThat(send(server, "GET", "/health").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = send(server, "GET", "/ready");
            ready.set(true);
            HttpResponse<String> nowReady = send(server, "GET", "/ready");
            HttpResponse<String> metrics = send(server, "GET", "/metrics");

            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("\"ready\":false");
            assertThat(nowReady.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).isEqualTo("demo_total 3\n");
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(
                            type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        }
    }

    @Test
    void shouldRefuseOtherMethodsAndPaths() throws Exception {
        try (ProbeServer server = start(0)) {
            HttpResponse<String> post = send(server, "POST", "/health");
            HttpResponse<String> unknown = send(server, "GET", "/nothing");

            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("/health, /ready and /metrics");
        }
    }

    @Test
    void shouldNameThePortKeyWhenThePortIsTaken() {
        try (ProbeServer first = start(0)) {
            assertThatThrownBy(() -> start(first.port()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("127.0.0.1:" + first.port())
                    .hasMessageContaining("choose a free demo.http.port");
        }
    }
}
