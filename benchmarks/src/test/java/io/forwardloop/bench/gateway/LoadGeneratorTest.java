package io.forwardloop.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    private HttpServer server;
    private final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    private final AtomicInteger answered = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/predict", this::answer);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /** Answers 503 to texts containing "busy", else 200; alternates fixed length and chunked. */
    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        bodies.add(body);
        byte[] answer = "{\"label\":\"positive\"}".getBytes(StandardCharsets.UTF_8);
        int status = body.contains("busy") ? 503 : 200;
        boolean chunked = answered.getAndIncrement() % 2 == 0;
        exchange.sendResponseHeaders(status, chunked ? 0 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Test
    void shouldSendEveryRequestOnKeptAliveConnectionsAndCountFailures() throws Exception {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        LoadGenerator generator =
                new LoadGenerator(url, "sentiment", List.of("fine text", "busy text", "more"));

        LoadGenerator.Load load = generator.run(3, 30, 60, new AtomicBoolean());

        assertThat(load.requests()).isEqualTo(30);
        assertThat(load.failed()).isEqualTo(10);
        assertThat(load.latenciesMs()).hasSize(30).isSorted();
        assertThat(bodies).hasSize(30).allMatch(b -> b.contains("\"adapter\":\"sentiment\""));
        assertThat(bodies.stream().filter(b -> b.contains("\"text\":\"busy text\""))).hasSize(10);
    }

    @Test
    void shouldStopWhenAskedAndCountARefusedConnectionAsFailed() throws Exception {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        server.stop(0);
        LoadGenerator generator = new LoadGenerator(url, "sentiment", List.of("text"));

        LoadGenerator.Load load = generator.run(2, 6, 60, new AtomicBoolean());

        assertThat(load.requests()).isEqualTo(6);
        assertThat(load.failed()).isEqualTo(6);
        assertThat(load.requestsPerSecond()).isZero();
    }

    @Test
    void shouldCountOnlyAnsweredRequestsAsThroughput() {
        LoadGenerator.Load load = new LoadGenerator.Load(30, 10, 2.0, new double[30], 0);

        assertThat(load.requestsPerSecond()).isEqualTo(10.0);
    }
}
