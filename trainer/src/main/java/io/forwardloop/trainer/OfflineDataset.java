package io.forwardloop.trainer;

import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.datasets.DatasetReader;
import io.forwardloop.datasets.Datasets;
import io.forwardloop.datasets.LabeledText;
import io.forwardloop.datasets.Split;
import io.forwardloop.datasets.Splits;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.encoder.EncoderConfig;
import io.forwardloop.ingest.encoder.EncoderId;
import io.forwardloop.ingest.encoder.Encoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * A labeled data file embedded by a frozen encoder and split into training and test activations.
 *
 * <p>Labels are the file's distinct label strings in sorted order. The split is stratified by label
 * and fixed by the seed ({@link Splits#stratifiedTrainTest}). Activations come from an {@link
 * EmbeddingCache} under {@code <dataDir>/embeddings}, so a file is embedded once per encoder.
 *
 * @param source the data file read
 * @param sha256 the SHA-256 of its bytes
 * @param encoder the encoder used
 * @param labels label names, in label-index order
 * @param train training activations
 * @param test held-out activations
 */
public record OfflineDataset(
        Path source,
        String sha256,
        EncoderId encoder,
        List<String> labels,
        LabeledBatch train,
        LabeledBatch test) {

    /**
     * Resolves {@code input}: a file path, or {@code uci} / {@code mr}, fetched into {@code
     * <dataDir>/datasets}.
     */
    public static Path resolve(String input, Path dataDir) {
        Path file = Path.of(input);
        if (Files.exists(file)) {
            return file;
        }
        if (input.equals("uci") || input.equals("mr")) {
            return Datasets.fetch(input, dataDir.resolve("datasets"));
        }
        throw new IllegalArgumentException(
                "input '"
                        + input
                        + "' is neither a readable file nor one of the data sets uci, mr");
    }

    /**
     * Reads, embeds (or reads cached activations) and splits a data file.
     *
     * @param progress told (texts embedded so far, texts in all), only when embedding runs
     */
    public static OfflineDataset load(
            Path file,
            EncoderId encoderId,
            Path dataDir,
            double testFraction,
            long seed,
            BiConsumer<Integer, Integer> progress) {
        List<LabeledText> items = DatasetReader.read(file);
        if (items.size() < 4) {
            throw new IllegalArgumentException(
                    "data file " + file + " holds " + items.size() + " examples; need at least 4");
        }
        List<String> labels = new ArrayList<>(new TreeSet<>(labelsOf(items)));
        if (labels.size() < 2) {
            throw new IllegalArgumentException(
                    "data file " + file + " has a single label " + labels + "; need at least 2");
        }
        String sha256 = EmbeddingCache.sha256(file);
        float[][] activations = embed(items, encoderId, dataDir, sha256, progress);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            rows.add(i);
        }
        Split<Integer> split =
                Splits.stratifiedTrainTest(rows, i -> items.get(i).label(), testFraction, seed);
        return new OfflineDataset(
                file,
                sha256,
                encoderId,
                labels,
                batch(split.train(), activations, items, labels),
                batch(split.test(), activations, items, labels));
    }

    private static List<String> labelsOf(List<LabeledText> items) {
        return items.stream().map(LabeledText::label).toList();
    }

    private static float[][] embed(
            List<LabeledText> items,
            EncoderId encoderId,
            Path dataDir,
            String sha256,
            BiConsumer<Integer, Integer> progress) {
        EmbeddingCache cache = new EmbeddingCache(dataDir.resolve("embeddings"));
        List<String> texts = items.stream().map(LabeledText::text).toList();
        Path entry = cache.entry(sha256, encoderId.id(), encoderId.defaultMaxSequenceLength());
        if (Files.exists(entry)) {
            return cache.activations(entry, texts, null, done -> {});
        }
        EncoderConfig config =
                new EncoderConfig(
                        Map.of(
                                EncoderConfig.ENCODER_ID,
                                encoderId.id(),
                                EncoderConfig.INTRA_OP_THREADS,
                                Math.max(1, Runtime.getRuntime().availableProcessors())));
        try (Encoder encoder = Encoders.create(config)) {
            return cache.activations(
                    sha256, texts, encoder, done -> progress.accept(done, texts.size()));
        }
    }

    private static LabeledBatch batch(
            List<Integer> rows,
            float[][] activations,
            List<LabeledText> items,
            List<String> labels) {
        float[][] x = new float[rows.size()][];
        int[] y = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            x[i] = activations[rows.get(i)];
            y[i] = labels.indexOf(items.get(rows.get(i)).label());
        }
        return new LabeledBatch(x, y);
    }
}
