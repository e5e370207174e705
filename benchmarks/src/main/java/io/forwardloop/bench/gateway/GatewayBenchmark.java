package io.forwardloop.bench.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.datasets.Datasets;
import io.forwardloop.datasets.LabeledText;
import io.forwardloop.ingest.adapters.AdapterArtifact;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.encoder.EncoderBenchmark;
import io.forwardloop.ingest.encoder.EncoderConfig;
import io.forwardloop.ingest.encoder.EncoderId;
import io.forwardloop.ingest.encoder.Encoders;
import io.forwardloop.ingest.gateway.Gateway;
import io.forwardloop.ingest.gateway.GatewayConfig;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
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
 * Measures the serving gateway against raw ONNX Runtime in one run, on equal terms: the gateway and
 * the raw baseline share one encoder instance (same model, same ONNX Runtime threads, same texts),
 * the baseline runs full batches on as many threads as the gateway has encoder workers, and raw and
 * gateway rounds alternate so both see the same machine (the platform is up during both).
 *
 * <p>Two ratios are reported: all gateway rounds against all raw rounds, and the median of the
 * per-round ratios, each gateway round against the raw round just before it. On a shared machine
 * whose speed drifts by tens of percent within a run, the paired median cancels the drift that the
 * overall ratio mixes in; both are printed so a reader sees how far they differ.
 *
 * <p>Also reported: where the CPU went per request (encoder workers, answer threads, HTTP server,
 * load generator, record log, embedded Kafka, the rest of the JVM), how busy the encoder workers
 * were and how fast the encoder ran inside the gateway; the latency of verifying and swapping an
 * adapter version and the requests that failed while {@code swaps} versions were swapped under
 * load; and, with Kafka, the latency from an alias move in a live model registry to the gateway
 * serving the promoted version.
 *
 * <p>Texts are UCI Sentiment Labelled Sentences when the data set can be fetched or is cached,
 * synthetic sentences otherwise. A command-line entry point: prints a table and writes a JSON
 * report.
 */
public final class GatewayBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayBenchmark.class);
    private static final List<String> LABELS = List.of("negative", "positive");
    private static final String ADAPTER = "sentiment";

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
            int workers,
            int intraOpThreads,
            int rounds,
            int aliasMoves,
            boolean kafka,
            Path cacheDir,
            Path report) {}

    /**
     * Raw and gateway throughput of one alternating round, and the share of wall time the raw
     * threads were on a CPU.
     */
    public record Round(
            double rawTextsPerSecond, double rawOnCpuShare, double gatewayRequestsPerSecond) {
        public double ratio() {
            return gatewayRequestsPerSecond / rawTextsPerSecond;
        }
    }

    /** What the encoder workers did during the gateway rounds. */
    public record Stages(
            double meanBatchSize,
            double queueWaitMeanMs,
            double encodeMsPerText,
            double scoreMsPerBatch,
            double workerBusyShare,
            double workerCpuShareWhileEncoding,
            double encoderTextsPerSecondInGateway) {}

    /** The measured numbers. */
    public record Report(
            String encoder,
            String textSource,
            int texts,
            int clients,
            int workers,
            int intraOpThreads,
            int batchMaxSize,
            long batchMaxWaitMs,
            List<Round> rounds,
            double rawTextsPerSecond,
            double gatewayRequestsPerSecond,
            double gatewayToRawRatio,
            double gatewayToRawMedianOfRounds,
            long requests,
            long failedRequests,
            double latencyP50Ms,
            double latencyP99Ms,
            Stages stages,
            Map<String, Double> cpuMsPerRequest,
            double processCoresUsed,
            double loadAverage,
            boolean debugLogging,
            int swaps,
            double swapP50Ms,
            double swapP99Ms,
            long requestsDuringSwaps,
            long failedRequestsDuringSwaps,
            AliasMoves.Result aliasMoveToServing,
            boolean kafkaLogging,
            long recordsLogged,
            long recordsDropped) {}

    private GatewayBenchmark() {}

    public static void main(String[] args) {
        System.exit(BenchGatewayCommand.execute(args));
    }

    /** Runs every measurement and writes the report, if a path is given. */
    public static Report run(Options options) throws IOException, InterruptedException {
        boolean debug = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME).isDebugEnabled();
        if (debug) {
            LOG.warn(
                    "DEBUG logging is on (no logging configuration on the class path?); the"
                            + " numbers include its cost. Set -Dlogback.configurationFile");
        }
        Path work = Files.createTempDirectory("bench-gateway");
        TextSet texts = texts(options);
        EmbeddedPlatform platform =
                options.kafka()
                        ? EmbeddedPlatform.builder()
                                .dataDir(work.resolve("platform"))
                                .build()
                                .start()
                        : null;
        try (Encoder encoder = Encoders.create(encoderConfig(options));
                Gateway gateway = gateway(options, platform, encoder)) {
            Measured measured = measure(options, texts.texts(), encoder, gateway);
            SwapRun swaps = swaps(gateway, texts.texts(), options);
            AliasMoves.Result moves =
                    platform != null && options.aliasMoves() > 0
                            ? AliasMoves.measure(platform, encoder, work, options.aliasMoves())
                            : null;
            Report report = report(options, texts, measured, swaps, moves, gateway, debug);
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

    private static EncoderConfig encoderConfig(Options options) {
        return new EncoderConfig(
                Map.of(
                        EncoderConfig.ENCODER_ID,
                        options.encoder().id(),
                        EncoderConfig.INTRA_OP_THREADS,
                        options.intraOpThreads()));
    }

    private static Gateway gateway(Options options, EmbeddedPlatform platform, Encoder encoder) {
        Map<String, Object> config = new HashMap<>();
        config.put(GatewayConfig.HTTP_HOST, "127.0.0.1");
        config.put(GatewayConfig.HTTP_PORT, 0);
        config.put(GatewayConfig.ADAPTERS, ADAPTER + ":" + String.join("|", LABELS));
        config.put(GatewayConfig.BATCH_MAX_SIZE, options.batchMaxSize());
        config.put(GatewayConfig.BATCH_MAX_WAIT_MS, options.batchMaxWaitMs());
        config.put(GatewayConfig.BATCH_WORKERS, options.workers());
        config.put(EncoderConfig.ENCODER_ID, options.encoder().id());
        config.put(EncoderConfig.INTRA_OP_THREADS, options.intraOpThreads());
        if (platform != null) {
            config.put(ClusterConnection.BOOTSTRAP_SERVERS, platform.bootstrapServers());
            config.put(ClusterConnection.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
        }
        return Gateway.builder().config(config).encoder(encoder).build().start();
    }

    // ---- throughput: alternating raw and gateway rounds

    /** The alternating rounds and what was observed during the gateway's. */
    private record Measured(
            List<Round> rounds,
            LoadGenerator.Load load,
            Stages stages,
            Map<String, Double> cpuMsPerRequest,
            double coresUsed,
            double loadAverage) {}

    private static Measured measure(
            Options options, List<String> texts, Encoder encoder, Gateway gateway)
            throws InterruptedException {
        LoadGenerator generator = new LoadGenerator(URI.create(gateway.url()), ADAPTER, texts);
        int perRound = Math.max(1, options.requests() / options.rounds());
        // warm both paths up until the JIT has compiled them: one pass of raw over every text,
        // and at least two passes of requests through the gateway (fewer leave the first
        // measured round slower than the rest)
        raw(encoder, texts, options);
        LoadGenerator.Load warmup =
                generator.run(
                        options.clients(),
                        Math.max(2 * texts.size(), perRound),
                        options.maxSeconds(),
                        new AtomicBoolean());
        LOG.info("warm-up: {} requests", warmup.requests());
        List<Round> rounds = new ArrayList<>();
        List<LoadGenerator.Load> loads = new ArrayList<>();
        long gatewayCpu = 0;
        long gatewayWall = 0;
        StageMeters before = StageMeters.read(gateway.meters());
        CpuAccounting.Snapshot cpuBefore = null;
        CpuAccounting.Snapshot cpuAfter = null;
        double load = 0;
        for (int r = 0; r < options.rounds(); r++) {
            Raw raw = raw(encoder, texts, options);
            long workerCpu = CpuAccounting.threadCpuNanos("gateway-batcher-");
            CpuAccounting.Snapshot start = CpuAccounting.snapshot();
            LoadGenerator.Load round =
                    generator.run(
                            options.clients(), perRound, options.maxSeconds(), new AtomicBoolean());
            CpuAccounting.Snapshot end = CpuAccounting.snapshot();
            gatewayCpu += CpuAccounting.threadCpuNanos("gateway-batcher-") - workerCpu;
            gatewayWall += end.wallNanos() - start.wallNanos();
            cpuBefore = cpuBefore == null ? start : cpuBefore;
            cpuAfter = cpuAfter == null ? end : add(cpuAfter, start, end);
            load += CpuAccounting.loadAverage() / options.rounds();
            loads.add(round);
            rounds.add(
                    new Round(raw.textsPerSecond(), raw.onCpuShare(), round.requestsPerSecond()));
            LOG.info(
                    "round {}: raw {} texts/s, gateway {} requests/s",
                    r + 1,
                    String.format("%.1f", raw.textsPerSecond()),
                    String.format("%.1f", round.requestsPerSecond()));
        }
        LoadGenerator.Load all = merge(loads);
        StageMeters after = StageMeters.read(gateway.meters());
        Stages stages = after.since(before, gatewayWall, gatewayCpu, options.workers());
        return new Measured(
                rounds,
                all,
                stages,
                CpuAccounting.perRequestMs(
                        cpuBefore, cpuAfter, Math.max(1, all.requests()), all.cpuNanos()),
                CpuAccounting.coresUsed(cpuBefore, cpuAfter),
                load);
    }

    /** Extends a cumulative snapshot by one more interval, skipping the raw round in between. */
    private static CpuAccounting.Snapshot add(
            CpuAccounting.Snapshot total,
            CpuAccounting.Snapshot start,
            CpuAccounting.Snapshot end) {
        Map<String, Long> parts = new LinkedHashMap<>(total.parts());
        end.parts()
                .forEach(
                        (k, v) -> parts.merge(k, v - start.parts().getOrDefault(k, 0L), Long::sum));
        return new CpuAccounting.Snapshot(
                total.wallNanos() + end.wallNanos() - start.wallNanos(),
                total.processNanos() + end.processNanos() - start.processNanos(),
                parts);
    }

    /** Raw throughput and the share of wall time its threads were on a CPU. */
    record Raw(double textsPerSecond, double onCpuShare) {}

    /**
     * Raw backbone throughput: {@code workers} threads embedding full batches of the texts, what
     * ONNX Runtime does with the gateway's thread settings and nothing in front of it.
     */
    static Raw raw(Encoder encoder, List<String> texts, Options options)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong cpu = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(options.workers());
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < options.workers(); w++) {
            futures.add(pool.submit(() -> embedAll(encoder, texts, options, next, cpu)));
        }
        for (Future<?> f : futures) {
            join(f);
        }
        long wall = System.nanoTime() - start;
        pool.shutdown();
        return new Raw(
                texts.size() / (wall / 1e9), cpu.get() / ((double) wall * options.workers()));
    }

    private static void embedAll(
            Encoder encoder,
            List<String> texts,
            Options options,
            AtomicInteger next,
            AtomicLong cpu) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        int batch = options.batchMaxSize();
        for (int from = next.getAndAdd(batch); from < texts.size(); from = next.getAndAdd(batch)) {
            encoder.embed(texts.subList(from, Math.min(from + batch, texts.size())));
        }
        cpu.addAndGet(threads.getCurrentThreadCpuTime() - start);
    }

    private static void join(Future<?> future) throws InterruptedException {
        try {
            future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a raw encoder run failed", e.getCause());
        }
    }

    private static LoadGenerator.Load merge(List<LoadGenerator.Load> loads) {
        long requests = loads.stream().mapToLong(LoadGenerator.Load::requests).sum();
        long failed = loads.stream().mapToLong(LoadGenerator.Load::failed).sum();
        double seconds = loads.stream().mapToDouble(LoadGenerator.Load::seconds).sum();
        double[] latencies =
                loads.stream().flatMapToDouble(l -> Arrays.stream(l.latenciesMs())).toArray();
        Arrays.sort(latencies);
        long cpu = loads.stream().mapToLong(LoadGenerator.Load::cpuNanos).sum();
        return new LoadGenerator.Load(requests, failed, seconds, latencies, cpu);
    }

    /** The batcher's meters at one moment. */
    private record StageMeters(
            long batches,
            double texts,
            long queued,
            double queueWaitNanos,
            double encodeNanos,
            double scoreNanos) {
        static StageMeters read(MeterRegistry meters) {
            DistributionSummary sizes = meters.get("gateway.batch.size").summary();
            Timer wait = meters.get("gateway.batch.queue.wait").timer();
            return new StageMeters(
                    sizes.count(),
                    sizes.totalAmount(),
                    wait.count(),
                    wait.totalTime(TimeUnit.NANOSECONDS),
                    meters.get("gateway.batch.encode").timer().totalTime(TimeUnit.NANOSECONDS),
                    meters.get("gateway.batch.score").timer().totalTime(TimeUnit.NANOSECONDS));
        }

        Stages since(StageMeters b, long wallNanos, long workerCpuNanos, int workers) {
            long n = Math.max(1, batches - b.batches);
            double t = Math.max(1, texts - b.texts);
            double encode = encodeNanos - b.encodeNanos;
            double busy = encode + scoreNanos - b.scoreNanos;
            return new Stages(
                    t / n,
                    (queueWaitNanos - b.queueWaitNanos) / Math.max(1, queued - b.queued) / 1e6,
                    encode / t / 1e6,
                    (scoreNanos - b.scoreNanos) / n / 1e6,
                    busy / ((double) wallNanos * workers),
                    workerCpuNanos / Math.max(1, busy),
                    t / (encode / workers / 1e9));
        }
    }

    // ---- swaps under load

    /** Swap latencies and the load that ran meanwhile. */
    private record SwapRun(double[] latenciesMs, LoadGenerator.Load load) {}

    private static SwapRun swaps(Gateway gateway, List<String> texts, Options options)
            throws InterruptedException {
        AdapterSpec spec =
                AdapterSpec.lowRankClassifier(gateway.encoder().dimension(), 8, LABELS).build();
        List<AdapterArtifact> versions = new ArrayList<>();
        for (int v = 1; v <= options.swaps(); v++) {
            byte[] bytes = OnnxAdapterFile.toBytes(AdapterParameters.initialize(spec, v), v, 1);
            versions.add(AdapterArtifact.of(ADAPTER, v, bytes, spec, "benchmark"));
        }
        LoadGenerator generator = new LoadGenerator(URI.create(gateway.url()), ADAPTER, texts);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService loader = Executors.newSingleThreadExecutor();
        Future<LoadGenerator.Load> load =
                loader.submit(
                        () ->
                                generator.run(
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
            LoadGenerator.Load during = load.get();
            loader.shutdown();
            Arrays.sort(latencies);
            return new SwapRun(latencies, during);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the load during swaps failed", e.getCause());
        }
    }

    // ---- report

    private static Report report(
            Options options,
            TextSet texts,
            Measured m,
            SwapRun swaps,
            AliasMoves.Result moves,
            Gateway gateway,
            boolean debug) {
        if (options.kafka()) {
            waitForLog(gateway);
        }
        var status = gateway.records().status();
        double rawSeconds =
                m.rounds().stream()
                        .mapToDouble(r -> texts.texts().size() / r.rawTextsPerSecond())
                        .sum();
        double raw = texts.texts().size() * m.rounds().size() / rawSeconds;
        double rps = m.load().requestsPerSecond();
        return new Report(
                options.encoder().id(),
                texts.source(),
                texts.texts().size(),
                options.clients(),
                options.workers(),
                options.intraOpThreads(),
                options.batchMaxSize(),
                options.batchMaxWaitMs(),
                m.rounds(),
                raw,
                rps,
                rps / raw,
                percentile(m.rounds().stream().mapToDouble(Round::ratio).sorted().toArray(), 0.5),
                m.load().requests(),
                m.load().failed(),
                percentile(m.load().latenciesMs(), 0.50),
                percentile(m.load().latenciesMs(), 0.99),
                m.stages(),
                m.cpuMsPerRequest(),
                m.coresUsed(),
                m.loadAverage(),
                debug,
                swaps.latenciesMs().length,
                percentile(swaps.latenciesMs(), 0.50),
                percentile(swaps.latenciesMs(), 0.99),
                swaps.load().requests(),
                swaps.load().failed(),
                moves,
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
        rows.put(
                "setup",
                String.format(
                        "%d encoder workers x %d intra-op threads, batch %d / %d ms, %d clients",
                        r.workers(),
                        r.intraOpThreads(),
                        r.batchMaxSize(),
                        r.batchMaxWaitMs(),
                        r.clients()));
        rows.put(
                "raw backbone texts/s",
                String.format(
                        "%.1f (raw threads on CPU %.0f%% of wall)",
                        r.rawTextsPerSecond(),
                        100
                                * r.rounds().stream()
                                        .mapToDouble(Round::rawOnCpuShare)
                                        .average()
                                        .orElse(0)));
        rows.put("gateway requests/s", String.format("%.1f", r.gatewayRequestsPerSecond()));
        rows.put(
                "gateway / raw",
                String.format(
                        "%.1f%% over all rounds; median of paired rounds %.1f%% (goal >= 90%%)",
                        100 * r.gatewayToRawRatio(), 100 * r.gatewayToRawMedianOfRounds()));
        rows.put("  per round", rounds(r.rounds()));
        rows.put(
                "predict latency p50 / p99",
                String.format("%.1f / %.1f ms", r.latencyP50Ms(), r.latencyP99Ms()));
        rows.put("requests (failed)", r.requests() + " (" + r.failedRequests() + ")");
        stages(r.stages(), rows);
        rows.put(
                "process CPU",
                String.format(
                        "%.2f cores; machine load average %.1f%s",
                        r.processCoresUsed(),
                        r.loadAverage(),
                        r.debugLogging() ? "; DEBUG logging on" : ""));
        r.cpuMsPerRequest()
                .forEach(
                        (part, ms) ->
                                rows.put("  cpu ms/request " + part, String.format("%.2f", ms)));
        swapRows(r, rows);
        rows.forEach((k, v) -> out.printf("%-34s %s%n", k, v));
    }

    private static String rounds(List<Round> rounds) {
        StringBuilder text = new StringBuilder();
        for (Round round : rounds) {
            text.append(text.length() == 0 ? "" : ", ")
                    .append(
                            String.format(
                                    "%.0f/%.0f=%.0f%%",
                                    round.gatewayRequestsPerSecond(),
                                    round.rawTextsPerSecond(),
                                    100 * round.ratio()));
        }
        return text.toString();
    }

    private static void stages(Stages s, Map<String, String> rows) {
        rows.put(
                "batches",
                String.format(
                        "mean size %.1f, queue wait %.1f ms, score %.2f ms/batch",
                        s.meanBatchSize(), s.queueWaitMeanMs(), s.scoreMsPerBatch()));
        rows.put(
                "encoder workers",
                String.format(
                        "busy %.1f%% of wall, on CPU %.1f%% of busy, %.1f ms/text = %.1f texts/s",
                        100 * s.workerBusyShare(),
                        100 * s.workerCpuShareWhileEncoding(),
                        s.encodeMsPerText(),
                        s.encoderTextsPerSecondInGateway()));
    }

    private static void swapRows(Report r, Map<String, String> rows) {
        rows.put(
                "swap latency p50 / p99",
                String.format(
                        "%.2f / %.2f ms over %d swaps", r.swapP50Ms(), r.swapP99Ms(), r.swaps()));
        rows.put(
                "failed during swaps",
                r.failedRequestsDuringSwaps() + " of " + r.requestsDuringSwaps() + " (goal 0)");
        AliasMoves.Result moves = r.aliasMoveToServing();
        rows.put(
                "alias move -> gateway serving",
                moves == null
                        ? "not measured (--alias-moves 0 or --no-kafka)"
                        : String.format(
                                "p50 %.1f / p99 %.1f / max %.1f ms over %d moves",
                                moves.p50Ms(), moves.p99Ms(), moves.maxMs(), moves.moves()));
        rows.put(
                "records logged (dropped)",
                r.kafkaLogging()
                        ? r.recordsLogged() + " (" + r.recordsDropped() + ")"
                        : "logging off");
    }
}
