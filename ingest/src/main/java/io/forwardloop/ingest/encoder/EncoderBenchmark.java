package io.forwardloop.ingest.encoder;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Measures the raw throughput of each backbone encoder: texts per second over synthetic sentences
 * embedded in fixed-size batches, after one warm-up batch.
 *
 * <p>A command-line entry point, so it prints its table to standard output. Arguments are {@code
 * key=value}: {@code texts} (default 512), {@code batch} (32), {@code threads} (1), {@code
 * encoders} (comma-separated ids, default all), {@code seed} (7) for the synthetic sentences.
 */
public final class EncoderBenchmark {
    private static final String[] WORDS = {
        "the",
        "food",
        "was",
        "great",
        "service",
        "slow",
        "movie",
        "plot",
        "acting",
        "terrible",
        "wonderful",
        "phone",
        "battery",
        "lasted",
        "all",
        "day",
        "never",
        "again",
        "would",
        "recommend",
        "and",
        "but",
        "really",
        "not",
        "quite",
        "what",
        "expected",
        "from",
        "this",
        "place",
        "story",
        "screen",
        "sound",
        "quality",
        "price",
        "worth",
        "every",
        "penny"
    };

    private EncoderBenchmark() {}

    /** One encoder's measurement. */
    public record Result(EncoderId encoder, int texts, int batch, int threads, double seconds) {
        /** Texts embedded per second. */
        public double textsPerSecond() {
            return texts / seconds;
        }
    }

    public static void main(String[] args) {
        Map<String, String> options = parse(args);
        int texts = Integer.parseInt(options.getOrDefault("texts", "512"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "32"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "1"));
        long seed = Long.parseLong(options.getOrDefault("seed", "7"));
        List<String> sentences = sentences(texts, seed);
        PrintStream out = System.out;
        out.printf("%-12s %6s %6s %8s %10s%n", "encoder", "texts", "batch", "threads", "texts/s");
        for (EncoderId id : encoders(options.get("encoders"))) {
            Result r = measure(id, sentences, batch, threads);
            out.printf(
                    "%-12s %6d %6d %8d %10.1f%n",
                    id, r.texts(), r.batch(), r.threads(), r.textsPerSecond());
        }
    }

    /** Loads {@code id}, warms it up with one batch and times embedding all {@code sentences}. */
    public static Result measure(EncoderId id, List<String> sentences, int batch, int threads) {
        Map<String, Object> config =
                Map.of(EncoderConfig.ENCODER_ID, id.id(), EncoderConfig.INTRA_OP_THREADS, threads);
        try (Encoder encoder = Encoders.create(new EncoderConfig(config))) {
            encoder.embed(sentences.subList(0, Math.min(batch, sentences.size())));
            long start = System.nanoTime();
            for (int from = 0; from < sentences.size(); from += batch) {
                encoder.embed(sentences.subList(from, Math.min(from + batch, sentences.size())));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(id, sentences.size(), batch, threads, seconds);
        }
    }

    /** {@code count} synthetic sentences of 6 to 24 words, the same for the same seed. */
    public static List<String> sentences(int count, long seed) {
        Random random = new Random(seed);
        List<String> sentences = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int words = 6 + random.nextInt(19);
            StringBuilder sentence = new StringBuilder();
            for (int w = 0; w < words; w++) {
                sentence.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            sentences.add(sentence.append('.').toString());
        }
        return sentences;
    }

    private static List<EncoderId> encoders(String ids) {
        if (ids == null) {
            return List.of(EncoderId.values());
        }
        return Arrays.stream(ids.split(",")).map(EncoderId::parse).toList();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "argument '"
                                + arg
                                + "' is not key=value; keys: texts, batch, threads,"
                                + " encoders, seed");
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return options;
    }
}
