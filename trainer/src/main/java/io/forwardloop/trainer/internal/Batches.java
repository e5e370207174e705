package io.forwardloop.trainer.internal;

import io.forwardloop.adapter.LabeledBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Index arithmetic over labeled activations: permutations, slices, stratified splits. */
public final class Batches {
    private Batches() {}

    /** A training part and a held-out part. */
    public record Split(LabeledBatch train, LabeledBatch test) {}

    /** A Fisher-Yates permutation of 0..n-1 drawn from {@code random}. */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** Up to {@code size} entries of {@code order} from {@code start}. */
    public static int[] slice(int[] order, int start, int size) {
        int end = Math.min(order.length, start + size);
        int[] out = new int[end - start];
        System.arraycopy(order, start, out, 0, out.length);
        return out;
    }

    /** The examples at {@code rows}, sharing the activation arrays. */
    public static LabeledBatch select(LabeledBatch data, int[] rows) {
        float[][] x = new float[rows.length][];
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            x[i] = data.activations()[rows[i]];
            y[i] = data.labels()[rows[i]];
        }
        return new LabeledBatch(x, y);
    }

    /** Holds out about {@code fraction} of every label, chosen by {@code seed}. */
    public static Split stratifiedSplit(LabeledBatch data, double fraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        int labels = 0;
        for (int y : data.labels()) {
            labels = Math.max(labels, y + 1);
        }
        for (int label = 0; label < labels; label++) {
            List<Integer> rows = rowsOf(data, label);
            int[] order = permutation(rows.size(), random);
            int held = (int) Math.round(fraction * rows.size());
            for (int i = 0; i < order.length; i++) {
                (i < held ? test : train).add(rows.get(order[i]));
            }
        }
        return new Split(select(data, toArray(train)), select(data, toArray(test)));
    }

    private static List<Integer> rowsOf(LabeledBatch data, int label) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (data.labels()[i] == label) {
                rows.add(i);
            }
        }
        return rows;
    }

    private static int[] toArray(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
