package io.forwardloop.loop.internal;

import io.forwardloop.datasets.LabeledText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The drift scenario over the UCI sentences: the first adapter learns from one domain (amazon),
 * production traffic comes from the others (imdb, yelp), and a fixed share of those is kept apart
 * as the evaluation set that never becomes traffic.
 *
 * @param firstAdapter the sentences the first adapter is trained on
 * @param traffic the sentences played as production requests, shuffled
 * @param evaluation the sentences of the evaluation set
 */
public record Scenario(
        List<LabeledText> firstAdapter, List<LabeledText> traffic, List<LabeledText> evaluation) {
    public static final String FIRST_DOMAIN = "amazon";
    public static final Set<String> DRIFTED_DOMAINS = Set.of("imdb", "yelp");

    /** Splits {@code all}; the evaluation set is chosen by a hash of the text, not by order. */
    public static Scenario of(List<LabeledText> all, double evaluationShare, long seed) {
        List<LabeledText> first = new ArrayList<>();
        List<LabeledText> traffic = new ArrayList<>();
        List<LabeledText> evaluation = new ArrayList<>();
        for (LabeledText text : all) {
            if (FIRST_DOMAIN.equals(text.domain())) {
                first.add(text);
            } else if (DRIFTED_DOMAINS.contains(text.domain())) {
                (unit(text.text()) < evaluationShare ? evaluation : traffic).add(text);
            }
        }
        if (first.isEmpty() || traffic.isEmpty() || evaluation.isEmpty()) {
            throw new IllegalArgumentException(
                    "the data set needs sentences of the domains "
                            + FIRST_DOMAIN
                            + " and "
                            + DRIFTED_DOMAINS
                            + "; found "
                            + first.size()
                            + " first-domain, "
                            + traffic.size()
                            + " traffic and "
                            + evaluation.size()
                            + " evaluation sentences");
        }
        Collections.shuffle(traffic, new Random(seed));
        return new Scenario(List.copyOf(first), List.copyOf(traffic), List.copyOf(evaluation));
    }

    private static double unit(String text) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256")
                            .digest(("evaluation\0" + text).getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 7; i++) {
                bits = (bits << 8) | (hash[i] & 0xff);
            }
            return bits / (double) (1L << 56);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
