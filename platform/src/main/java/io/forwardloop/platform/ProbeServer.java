package io.forwardloop.platform;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Health, readiness and metrics of a service over the JDK's HTTP server: {@code GET /health},
 * {@code GET /ready} (each a status code and a JSON body) and {@code GET /metrics} (Prometheus
 * text).
 */
public final class ProbeServer implements AutoCloseable {
    private static final String JSON = "application/json";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    /** An answer to a probe: its HTTP status and JSON body. */
    public record Probe(int status, String json) {}

    private ProbeServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Binds {@code host:port} (0: a free port) and starts answering.
     *
     * @throws UncheckedIOException naming the address and the key to change when it cannot be bound
     */
    public static ProbeServer start(
            String host,
            int port,
            String portKey,
            Supplier<Probe> health,
            Supplier<Probe> ready,
            Supplier<String> metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen on "
                            + host
                            + ":"
                            + port
                            + " ("
                            + e.getMessage()
                            + "); choose a free "
                            + portKey
                            + " or 0 for any",
                    e);
        }
        server.createContext("/health", exchange -> probe(exchange, health.get()));
        server.createContext("/ready", exchange -> probe(exchange, ready.get()));
        server.createContext(
                "/metrics", exchange -> answer(exchange, 200, metrics.get(), PROMETHEUS));
        server.createContext(
                "/",
                exchange ->
                        probe(
                                exchange,
                                new Probe(
                                        404,
                                        "{\"error\":\"not_found\",\"message\":\"this service"
                                                + " answers /health, /ready and /metrics\"}")));
        server.start();
        return new ProbeServer(server);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange exchange, Probe probe) throws IOException {
        answer(exchange, probe.status(), probe.json() + "\n", JSON);
    }

    private static void answer(HttpExchange exchange, int status, String text, String type)
            throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "{\"error\":\"method_not_allowed\"}\n", JSON, false);
                return;
            }
            send(exchange, status, text, type, method.equals("HEAD"));
        }
    }

    private static void send(
            HttpExchange exchange, int status, String text, String type, boolean head)
            throws IOException {
        byte[] body = text.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
