package io.forwardloop.bench.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.datasets.Datasets;
import io.forwardloop.datasets.LabeledText;
import io.forwardloop.ingest.adapters.AdapterArtifact;
import io.forwardloop.ingest.encoder.EncoderBenchmark;
import io.forwardloop.ingest.encoder.EncoderId;
import io.forwardloop.ingest.gateway.Gateway;
import io.forwardloop.ingest.gateway.GatewayConfig;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the serving gateway in one run: raw ONNX Runtime backbone throughput on a set of texts,
 * then {@code /v1/predict} throughput and latency under concurrent HTTP load on the same texts
 * (loopback, the gateway in this JVM, logging to an embedded Kafka unless disabled), then the
 * latency of verifying and swapping an adapter version and the requests that failed while {@code
 * swaps} versions were swapped under load.
 *
 * <p>Texts are UCI Sentiment Labelled Sentences when the data set can be fetched or is cached,
 * synthetic sentences otherwise. A command-line entry point: prints a table and writes a JSON
 * report.
 */
public final class GatewayBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayBenchmark.class);
    private static final List<String> LABELS = List.of("negative", "positive");

    /** What to run. */
    public record Options(
            EncoderId encoder,
            int texts,
            int requests,
            int clients,
            long maxSeconds,
            int swaps,
            int batchMaxSize,
            long batchMaxWaitMs,
            boolean kafka,
            Path cacheDir,
            Path report) {}

    /** The measured numbers. */
    public record Report(
            String encoder,
            String textSource,
            int texts,
            int clients,
            double rawTextsPerSecond,
            long requests,
            long failedRequests,
            double gatewayRequestsPerSecond,
            double gatewayToRawRatio,
            double latencyP50Ms,
            double latencyP99Ms,
            int swaps,
            double swapP50Ms,
            double swapP99Ms,
            long requestsDuringSwaps,
            long failedRequestsDuringSwaps,
            boolean kafkaLogging,
            long recordsLogged,
            long recordsDropped) {}

    private GatewayBenchmark() {}

    public static void main(String[] args) {
        System.exit(BenchGatewayCommand.execute(args));
    }

    /** Runs every measurement and writes the report, if a path is given. */
    public static Report run(Options options) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("bench-gateway");
        TextSet texts = texts(options);
        LOG.info("measuring raw backbone throughput on {} texts", texts.texts().size());
        double raw = raw(options, texts.texts());
        EmbeddedPlatform platform =
                options.kafka() ? EmbeddedPlatform.builder().dataDir(work).build().start() : null;
        try (Gateway gateway = gateway(options, platform)) {
            Load warmup = load(gateway, texts.texts(), options.clients(), 64, 30);
            LOG.info("warm-up: {} requests", warmup.requests());
            Load load =
                    load(
                            gateway,
                            texts.texts(),
                            options.clients(),
                            options.requests(),
                            options.maxSeconds());
            SwapRun swaps = swaps(gateway, texts.texts(), options);
            Report report = report(options, texts, raw, load, swaps, gateway);
            write(options.report(), report);
            return report;
        } finally {
            if (platform != null) {
                platform.close();
            }
        }
    }

    private record TextSet(List<String> texts, String source) {}

    private static TextSet texts(Options options) {
        try {
            List<String> all =
                    Datasets.load("uci", options.cacheDir()).stream()
                            .map(LabeledText::text)
                            .toList();
            return new TextSet(all.subList(0, Math.min(options.texts(), all.size())), "uci");
        } catch (RuntimeException e) {
            LOG.info("UCI sentences unavailable ({}); using synthetic sentences", e.getMessage());
            return new TextSet(EncoderBenchmark.sentences(options.texts(), 7L), "synthetic");
        }
    }

    private static double raw(Options options, List<String> texts) {
        return EncoderBenchmark.measure(options.encoder(), texts, options.batchMaxSize(), 1)
                .textsPerSecond();
    }

    private static Gateway gateway(Options options, EmbeddedPlatform platform) {
        Map<String, Object> config = new HashMap<>();
        config.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        config.put(GatewayConfig.HTTP_PORT, 0);
        config.put(GatewayConfig.ADAPTERS, "sentiment:negative|positive");
        config.put(GatewayConfig.BATCH_MAX_SIZE, options.batchMaxSize());
        config.put(GatewayConfig.BATCH_MAX_WAIT_MS, options.batchMaxWaitMs());
        config.put("encoder.id", options.encoder().id());
        if (platform != null) {
            config.put(ClusterConnection.BOOTSTRAP_SERVERS, platform.bootstrapServers());
            config.put(ClusterConnection.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
        }
        return Gateway.builder().config(config).build().start();
    }

    /** The outcome of a load phase. */
    private record Load(long requests, long failed, double seconds, double[] latenciesMs) {
        double requestsPerSecond() {
            return requests / seconds;
        }
    }

    private static Load load(
            Gateway gateway, List<String> texts, int clients, int requests, long maxSeconds)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        return load(gateway, texts, clients, requests, maxSeconds, stop);
    }

    private static Load load(
            Gateway gateway,
            List<String> texts,
            int clients,
            int requests,
            long maxSeconds,
            AtomicBoolean stop)
            throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().executor(Executors.newFixedThreadPool(clients)).build();
        URI predict = URI.create(gateway.url() + "/v1/predict");
        AtomicInteger issued = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        List<double[]> perClient = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<double[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            futures.add(
                    pool.submit(
                            () ->
                                    client(
                                            http, predict, texts, issued, failed, requests,
                                            deadline, stop)));
        }
        for (Future<double[]> f : futures) {
            try {
                perClient.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a load client failed", e.getCause());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        double[] latencies = perClient.stream().flatMapToDouble(Arrays::stream).toArray();
        Arrays.sort(latencies);
        return new Load(latencies.length, failed.get(), seconds, latencies);
    }

    private static double[] client(
            HttpClient http,
            URI predict,
            List<String> texts,
            AtomicInteger issued,
            AtomicLong failed,
            int requests,
            long deadline,
            AtomicBoolean stop) {
        List<Double> latencies = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        int n;
        while (!stop.get()
                && (n = issued.getAndIncrement()) < requests
                && System.nanoTime() < deadline) {
            long start = System.nanoTime();
            if (!send(http, predict, json, texts.get(n % texts.size()))) {
                failed.incrementAndGet();
            }
            latencies.add((System.nanoTime() - start) / 1e6);
        }
        return latencies.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static boolean send(HttpClient http, URI predict, ObjectMapper json, String text) {
        try {
            String body = json.writeValueAsString(Map.of("adapter", "sentiment", "text", text));
            HttpRequest request =
                    HttpRequest.newBuilder(predict)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Swap latencies and the load that ran meanwhile. */
    private record SwapRun(double[] latenciesMs, Load load) {}

    private static SwapRun swaps(Gateway gateway, List<String> texts, Options options)
            throws InterruptedException {
        AdapterSpec spec =
                AdapterSpec.lowRankClassifier(gateway.encoder().dimension(), 8, LABELS).build();
        List<AdapterArtifact> versions = new ArrayList<>();
        for (int v = 1; v <= options.swaps(); v++) {
            byte[] bytes = OnnxAdapterFile.toBytes(AdapterParameters.initialize(spec, v), v, 1);
            versions.add(AdapterArtifact.of("sentiment", v, bytes, spec, "benchmark"));
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService loader = Executors.newSingleThreadExecutor();
        Future<Load> load =
                loader.submit(
                        () ->
                                load(
                                        gateway,
                                        texts,
                                        options.clients(),
                                        Integer.MAX_VALUE,
                                        options.maxSeconds() * 4,
                                        stop));
        double[] latencies = new double[versions.size()];
        Thread.sleep(200);
        for (int i = 0; i < versions.size(); i++) {
            long start = System.nanoTime();
            gateway.adapters().offer(versions.get(i));
            latencies[i] = (System.nanoTime() - start) / 1e6;
            Thread.sleep(20);
        }
        stop.set(true);
        try {
            Load during = load.get();
            loader.shutdown();
            Arrays.sort(latencies);
            return new SwapRun(latencies, during);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the load during swaps failed", e.getCause());
        }
    }

    private static Report report(
            Options options, TextSet texts, double raw, Load load, SwapRun swaps, Gateway gateway) {
        double rps = load.requestsPerSecond();
        var status = gateway.records().status();
        if (options.kafka()) {
            waitForLog(gateway);
            status = gateway.records().status();
        }
        return new Report(
                options.encoder().id(),
                texts.source(),
                texts.texts().size(),
                options.clients(),
                raw,
                load.requests(),
                load.failed(),
                rps,
                rps / raw,
                percentile(load.latenciesMs(), 0.50),
                percentile(load.latenciesMs(), 0.99),
                swaps.latenciesMs().length,
                percentile(swaps.latenciesMs(), 0.50),
                percentile(swaps.latenciesMs(), 0.99),
                swaps.load().requests(),
                swaps.load().failed(),
                options.kafka(),
                status.sent(),
                status.dropped());
    }

    private static void waitForLog(Gateway gateway) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (gateway.records().status().buffered() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void write(Path path, Report report) throws IOException {
        if (path == null) {
            return;
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(path.toFile(), report);
    }

    /** Prints the report as a table. */
    public static void print(Report r, PrintStream out) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("encoder", r.encoder() + " (" + r.texts() + " " + r.textSource() + " texts)");
        rows.put("raw backbone texts/s", String.format("%.1f", r.rawTextsPerSecond()));
        rows.put(
                "gateway requests/s",
                String.format("%.1f (%d clients)", r.gatewayRequestsPerSecond(), r.clients()));
        rows.put(
                "gateway / raw",
                String.format("%.1f%% (goal >= 90%%)", 100 * r.gatewayToRawRatio()));
        rows.put(
                "predict latency p50 / p99",
                String.format("%.1f / %.1f ms", r.latencyP50Ms(), r.latencyP99Ms()));
        rows.put("requests (failed)", r.requests() + " (" + r.failedRequests() + ")");
        rows.put(
                "swap latency p50 / p99",
                String.format(
                        "%.2f / %.2f ms over %d swaps", r.swapP50Ms(), r.swapP99Ms(), r.swaps()));
        rows.put(
                "failed during swaps",
                r.failedRequestsDuringSwaps() + " of " + r.requestsDuringSwaps() + " (goal 0)");
        rows.put(
                "records logged (dropped)",
                r.kafkaLogging()
                        ? r.recordsLogged() + " (" + r.recordsDropped() + ")"
                        : "logging off");
        rows.forEach((k, v) -> out.printf("%-28s %s%n", k, v));
    }
}
