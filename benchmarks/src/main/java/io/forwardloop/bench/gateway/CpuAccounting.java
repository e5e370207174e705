package io.forwardloop.bench.gateway;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of this JVM split by the part of the benchmark its threads belong to (encoder workers,
 * answer threads, HTTP server, load generator (whose threads report their own time as they end),
 * record log, embedded Kafka), with the rest (garbage collection, compilation, threads that ended)
 * as {@code jvm and other}.
 */
final class CpuAccounting {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String LOAD_GENERATOR = "load generator";

    /** Thread-name prefixes per part, matched in order. */
    private static final List<Map.Entry<String, List<String>>> PARTS =
            List.of(
                    Map.entry("encoder workers", List.of("gateway-batcher-")),
                    Map.entry("answer threads", List.of("gateway-answer-")),
                    Map.entry("http server", List.of("JettyServerThreadPool", "qtp")),
                    Map.entry(
                            "record log",
                            List.of("gateway-record-log", "kafka-producer-network-thread")),
                    Map.entry(
                            "embedded kafka",
                            List.of(
                                    "data-plane",
                                    "kafka",
                                    "quorum",
                                    "raft",
                                    "broker",
                                    "controller",
                                    "ExpirationReaper",
                                    "group-coordinator",
                                    "share",
                                    "LogDirFailureHandler",
                                    "schema-registry")));

    private CpuAccounting() {}

    /** CPU nanoseconds of the process and of each part, at one moment. */
    record Snapshot(long wallNanos, long processNanos, Map<String, Long> parts) {}

    static Snapshot snapshot() {
        Map<String, Long> parts = new LinkedHashMap<>();
        PARTS.forEach(p -> parts.put(p.getKey(), 0L));
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            long cpu = THREADS.getThreadCpuTime(thread.getId());
            if (cpu > 0) {
                parts.merge(part(thread.getName()), cpu, Long::sum);
            }
        }
        return new Snapshot(System.nanoTime(), processCpuNanos(), parts);
    }

    /**
     * Milliseconds of CPU per request spent by each part between two snapshots, and the whole
     * process's share of the machine.
     */
    static Map<String, Double> perRequestMs(
            Snapshot before, Snapshot after, long requests, long loadGeneratorNanos) {
        Map<String, Double> result = new LinkedHashMap<>();
        long threads = loadGeneratorNanos;
        for (String part : after.parts().keySet()) {
            long delta = after.parts().get(part) - before.parts().getOrDefault(part, 0L);
            threads += delta;
            result.put(part, delta / 1e6 / requests);
        }
        result.put(LOAD_GENERATOR, loadGeneratorNanos / 1e6 / requests);
        long process = after.processNanos() - before.processNanos();
        result.put("jvm and other", Math.max(0, process - threads) / 1e6 / requests);
        result.put("process total", process / 1e6 / requests);
        return result;
    }

    /** CPU time of the process over wall time, in cores. */
    static double coresUsed(Snapshot before, Snapshot after) {
        return (after.processNanos() - before.processNanos())
                / (double) (after.wallNanos() - before.wallNanos());
    }

    /** The machine's load average over the last minute, or -1 where unavailable. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** CPU nanoseconds of the threads whose names start with {@code prefix}. */
    static long threadCpuNanos(String prefix) {
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(prefix)) {
                total += Math.max(0, THREADS.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }

    private static String part(String threadName) {
        for (Map.Entry<String, List<String>> part : PARTS) {
            for (String prefix : part.getValue()) {
                if (threadName.startsWith(prefix)) {
                    return part.getKey();
                }
            }
        }
        return "other threads";
    }

    private static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun.getProcessCpuTime()
                : 0L;
    }
}
