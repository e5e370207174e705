package io.forwardloop.datasets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Deterministic train/test splits and stratified k-fold cross-validation.
 *
 * <p>Item positions are shuffled with a Fisher-Yates shuffle driven by {@code new
 * java.util.Random(seed)}. {@code Random}'s algorithm is fixed by its specification, so the same
 * seed and input give the same split on every JVM and machine. Items are told apart by position,
 * not by value: duplicate texts may land on both sides.
 */
public final class Splits {

    private Splits() {}

    /**
     * Shuffles {@code items} by {@code seed} and holds out {@code round(testFraction * n)} of them.
     *
     * @throws IllegalArgumentException if {@code testFraction} is not in [0, 1]
     */
    public static <T> Split<T> trainTest(List<T> items, double testFraction, long seed) {
        checkFraction(testFraction);
        List<T> shuffled = shuffled(items, seed);
        int testSize = (int) Math.round(testFraction * items.size());
        return new Split<>(
                shuffled.subList(testSize, shuffled.size()), shuffled.subList(0, testSize));
    }

    /**
     * Like {@link #trainTest}, but holds out the same fraction of every label, so both sides keep
     * the label proportions of {@code items} (to within one item per label).
     */
    public static <T> Split<T> stratifiedTrainTest(
            List<T> items, Function<T, String> label, double testFraction, long seed) {
        checkFraction(testFraction);
        List<T> train = new ArrayList<>();
        List<T> test = new ArrayList<>();
        for (List<T> group : byLabel(items, label).values()) {
            Split<T> part = trainTest(group, testFraction, seed);
            train.addAll(part.train());
            test.addAll(part.test());
        }
        return new Split<>(shuffled(train, seed), shuffled(test, seed));
    }

    /**
     * Splits {@code items} into {@code k} folds with the label proportions of the whole; fold
     * {@code i} tests on the i-th part and trains on the rest. Every item is tested exactly once.
     *
     * @throws IllegalArgumentException if {@code k < 2} or {@code k > items.size()}
     */
    public static <T> List<Split<T>> stratifiedKFold(
            List<T> items, Function<T, String> label, int k, long seed) {
        if (k < 2 || k > items.size()) {
            throw new IllegalArgumentException(
                    "k must be between 2 and the number of items ("
                            + items.size()
                            + ") but is "
                            + k);
        }
        List<List<T>> parts = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            parts.add(new ArrayList<>());
        }
        int next = 0;
        for (List<T> group : byLabel(items, label).values()) {
            for (T item : shuffled(group, seed)) {
                parts.get(next++ % k).add(item);
            }
        }
        return folds(parts);
    }

    private static <T> List<Split<T>> folds(List<List<T>> parts) {
        List<Split<T>> folds = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            List<T> train = new ArrayList<>();
            for (int j = 0; j < parts.size(); j++) {
                if (j != i) {
                    train.addAll(parts.get(j));
                }
            }
            folds.add(new Split<>(train, parts.get(i)));
        }
        return folds;
    }

    /** Groups by label, keeping first-seen label order and item order within each label. */
    private static <T> Map<String, List<T>> byLabel(List<T> items, Function<T, String> label) {
        Map<String, List<T>> groups = new LinkedHashMap<>();
        for (T item : items) {
            groups.computeIfAbsent(label.apply(item), l -> new ArrayList<>()).add(item);
        }
        return groups;
    }

    /** A Fisher-Yates shuffle of a copy of {@code items}, driven by {@code Random(seed)}. */
    static <T> List<T> shuffled(List<T> items, long seed) {
        List<T> out = new ArrayList<>(items);
        Random random = new Random(seed);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swap = out.get(i);
            out.set(i, out.get(j));
            out.set(j, swap);
        }
        return out;
    }

    private static void checkFraction(double testFraction) {
        if (!(testFraction >= 0 && testFraction <= 1)) {
            throw new IllegalArgumentException(
                    "testFraction must be in [0, 1] but is " + testFraction);
        }
    }
}
