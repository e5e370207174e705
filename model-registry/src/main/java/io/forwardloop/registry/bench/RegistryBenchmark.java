package io.forwardloop.registry.bench;

import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.Lineage;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.client.RegistryClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The model registry's latencies: publish and fetch over HTTP against the embedded H2 database, and
 * a promote until the event reaches a consumer of {@code adapter-events}, on the embedded platform.
 * {@code forwardloop bench registry} runs these and adds the whole path of an alias move to a
 * gateway serving the new version.
 *
 * <p>The alias-move figure is the registry's share of "promote to serving"; a caller supplies its
 * own {@link ServingObserver} to {@link #measureAliasMoves} to time a longer path.
 */
public final class RegistryBenchmark {
    /** A low-rank adapter for d=384, r=8 and 2 labels, with its ONNX framing: about 25 KB. */
    static final int SMALL_BYTES = 25 * 1024;

    static final int LARGE_BYTES = 1024 * 1024;

    private final int count;
    private final Random random = new Random(42);

    private RegistryBenchmark(int count) {
        this.count = count;
    }

    /**
     * Measures {@code count} publications and fetches per artifact size and {@code moves} alias
     * moves to the event being delivered, against a registry on {@code platform} with its database
     * under {@code dir}.
     *
     * @return {@code publish_fetch} (per size: {@code publish} and {@code fetch} statistics) and
     *     {@code alias_move_to_event_delivered}, each with {@code n}, {@code p50_ms}, {@code
     *     p99_ms} and {@code max_ms}
     */
    public static Map<String, Object> measure(
            EmbeddedPlatform platform, Path dir, int count, int moves) {
        Map<String, Object> results = new LinkedHashMap<>();
        try (ModelRegistryServer server = startRegistry(dir, platform)) {
            RegistryClient client =
                    RegistryClient.builder().url(server.url()).token(token(server)).build();
            results.put(
                    "publish_fetch", new RegistryBenchmark(count).measurePublishAndFetch(client));
            try (ServingObserver observer =
                    new AdapterEventsObserver(platform.connection().clientProperties())) {
                results.put(
                        "alias_move_to_event_delivered",
                        measureAliasMoves(client, observer, moves));
            }
        }
        return results;
    }

    private static ModelRegistryServer startRegistry(Path dir, EmbeddedPlatform platform) {
        return ModelRegistryServer.builder()
                .port(0)
                .dataDir(dir.resolve("registry"))
                .authToken(UUID.randomUUID().toString())
                .config(Map.of("registry.artifact.max.bytes", 4L * LARGE_BYTES))
                .kafka(platform.connection().clientProperties())
                .build()
                .start();
    }

    private static String token(ModelRegistryServer server) {
        return server.config().authToken();
    }

    private Map<String, Object> measurePublishAndFetch(RegistryClient client) {
        Map<String, Object> bySize = new LinkedHashMap<>();
        for (int size : new int[] {SMALL_BYTES, LARGE_BYTES}) {
            String adapter = "bench-" + size;
            warmUp(client, adapter, size);
            long[] publish = new long[count];
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] artifact = artifact(size);
                long t0 = System.nanoTime();
                AdapterVersion v = client.publish(adapter, artifact, metadata(i));
                publish[i] = System.nanoTime() - t0;
                hashes.add(v.artifactSha256());
            }
            long[] fetch = new long[count];
            for (int i = 0; i < count; i++) {
                String sha = hashes.get(random.nextInt(hashes.size()));
                long t0 = System.nanoTime();
                client.artifact(sha);
                fetch[i] = System.nanoTime() - t0;
            }
            Map<String, Object> ops = new LinkedHashMap<>();
            ops.put("publish", stats(publish));
            ops.put("fetch", stats(fetch));
            bySize.put(size + "_bytes", ops);
        }
        return bySize;
    }

    private void warmUp(RegistryClient client, String adapter, int size) {
        for (int i = 0; i < 10; i++) {
            client.artifact(
                    client.publish(adapter + "-warmup", artifact(size), metadata(i))
                            .artifactSha256());
        }
    }

    /**
     * Times {@code moves} promotes, alternating between two versions, each until {@code observer}
     * sees the new version in effect.
     */
    public static Map<String, Object> measureAliasMoves(
            RegistryClient client, ServingObserver observer, int moves) {
        String adapter = "bench-moves";
        Random random = new Random(7);
        byte[] a = new byte[SMALL_BYTES];
        byte[] b = new byte[SMALL_BYTES];
        random.nextBytes(a);
        random.nextBytes(b);
        long va = client.publish(adapter, a, metadata(0)).version();
        long vb = client.publish(adapter, b, metadata(1)).version();
        observer.prepare(adapter, "serving");
        long[] latency = new long[moves];
        for (int i = 0; i < moves; i++) {
            long target = i % 2 == 0 ? va : vb;
            long t0 = System.nanoTime();
            client.promote(adapter, "serving", target);
            observer.awaitVersion(adapter, "serving", target, Duration.ofSeconds(30));
            latency[i] = System.nanoTime() - t0;
        }
        return stats(latency);
    }

    private byte[] artifact(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    static AdapterMetadata metadata(int i) {
        return new AdapterMetadata(
                "LOW_RANK_CLASSIFIER",
                "bge-small-en-v1.5-q",
                List.of("negative", "positive"),
                Map.of("accuracy", 0.5 + (i % 40) / 100.0),
                Map.of("rank", 8, "dim", 384),
                new Lineage(null, (long) i * 100, (long) i * 100 + 99, null, null));
    }

    /** The count, p50, p99 and maximum of {@code nanos}, in milliseconds. */
    public static Map<String, Object> stats(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("n", sorted.length);
        s.put("p50_ms", ms(percentile(sorted, 0.50)));
        s.put("p99_ms", ms(percentile(sorted, 0.99)));
        s.put("max_ms", ms(sorted[sorted.length - 1]));
        return s;
    }

    private static long percentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    /** Prints the rows of {@code results}, as {@link #measure} returns them, under a header. */
    @SuppressWarnings("unchecked")
    public static void print(Map<String, Object> results, PrintWriter out) {
        out.printf("%-34s %6s %10s %10s %10s%n", "measurement", "n", "p50 ms", "p99 ms", "max ms");
        Map<String, Object> bySize = (Map<String, Object>) results.get("publish_fetch");
        bySize.forEach(
                (size, ops) ->
                        ((Map<String, Object>) ops)
                                .forEach(
                                        (op, s) ->
                                                row(
                                                        out,
                                                        op + " " + size,
                                                        (Map<String, Object>) s)));
        row(
                out,
                "alias move -> event delivered",
                (Map<String, Object>) results.get("alias_move_to_event_delivered"));
        out.flush();
    }

    /** Prints one row of statistics as {@link #stats} makes them. */
    public static void row(PrintWriter out, String name, Map<String, Object> s) {
        out.printf(
                "%-34s %6s %10s %10s %10s%n",
                name, s.get("n"), s.get("p50_ms"), s.get("p99_ms"), s.get("max_ms"));
    }
}
