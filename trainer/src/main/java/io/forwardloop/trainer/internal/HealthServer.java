package io.forwardloop.trainer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The trainer's probes and metrics over the JDK's HTTP server: {@code GET /health} answers 200
 * while the process runs, {@code GET /ready} 200 while the trainer is polling and 503 otherwise,
 * {@code GET /metrics} the trainer's counters in the Prometheus text format.
 */
public final class HealthServer implements AutoCloseable {
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String METRICS = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private HealthServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Binds {@code host:port} (0: a free port) and starts answering.
     *
     * @throws UncheckedIOException naming the address when it cannot be bound
     */
    public static HealthServer start(
            String host, int port, BooleanSupplier ready, Supplier<String> metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server.createContext("/health", exchange -> answer(exchange, 200, "ok\n", TEXT));
        server.createContext(
                "/ready",
                exchange -> {
                    boolean up = ready.getAsBoolean();
                    answer(exchange, up ? 200 : 503, up ? "ok\n" : "unavailable\n", TEXT);
                });
        server.createContext("/metrics", exchange -> answer(exchange, 200, metrics.get(), METRICS));
        server.createContext(
                "/",
                exchange ->
                        answer(
                                exchange,
                                404,
                                "no such path; the trainer answers /health, /ready and /metrics\n",
                                TEXT));
        server.start();
        return new HealthServer(server);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String text, String type)
            throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                byte[] body = ("method " + method + " not allowed; use GET\n").getBytes(UTF_8);
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.getResponseHeaders().set("Content-Type", TEXT);
                exchange.sendResponseHeaders(405, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            byte[] body = text.getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
