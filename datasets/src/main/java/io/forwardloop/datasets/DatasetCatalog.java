package io.forwardloop.datasets;

import java.util.List;
import java.util.Locale;

/**
 * The data sets {@link Datasets} can fetch by name, with their provenance and pinned hashes.
 *
 * <p>Both are sentence-level binary sentiment data sets labeled {@code positive} and {@code
 * negative} after normalisation.
 */
public final class DatasetCatalog {

    /** UCI Sentiment Labelled Sentences: 3,000 sentences from amazon, imdb and yelp. */
    public static final DatasetInfo UCI =
            new DatasetInfo(
                    "uci",
                    "UCI Sentiment Labelled Sentences",
                    "D. Kotzias, M. Denil, N. de Freitas, P. Smyth. From Group to Individual"
                            + " Labels using Deep Features. KDD 2015",
                    "as published in the UCI Machine Learning Repository (CC BY 4.0); the npm"
                            + " package that carries it is MIT-licensed",
                    "npm package sentiment@5.0.2",
                    "sentiment-5.0.2.tgz",
                    "89302eb03d2005d03b214fe65814bb48adb7d3c42c8ca80bdee6a3ecb7e4480f",
                    3000,
                    List.of("positive", "negative"),
                    List.of("amazon", "imdb", "yelp"));

    /** MR sentence polarity: 4,000 movie review sentences, half positive. */
    public static final DatasetInfo MR =
            new DatasetInfo(
                    "mr",
                    "MR sentence polarity (Pang & Lee), 4,000-sentence subset",
                    "B. Pang, L. Lee. Seeing stars: Exploiting class relationships for sentiment"
                            + " categorization with respect to rating scales. ACL 2005",
                    "no licence stated by its authors, who release it for research; the Debian"
                            + " package's corpora README says its test corpora are for personal"
                            + " use and not under the package's BSD licence",
                    "Debian package python3-pattern 2.6+git20180818-4",
                    "python3-pattern_2.6+git20180818-4_all.deb",
                    "9bdb8e36c780db9c701fa9519425c0217fbab2bc1af28eb127caaa6bde7fc4b1",
                    4000,
                    List.of("positive", "negative"),
                    List.of("rotten-tomatoes"));

    private static final List<DatasetInfo> ALL = List.of(UCI, MR);

    private DatasetCatalog() {}

    /** Every data set in the catalog, in a fixed order. */
    public static List<DatasetInfo> all() {
        return ALL;
    }

    /** The names accepted by {@link #get} and {@link Datasets#fetch}. */
    public static List<String> names() {
        return ALL.stream().map(DatasetInfo::name).toList();
    }

    /**
     * The data set called {@code name}, case-insensitively.
     *
     * @throws DatasetException if no data set has that name
     */
    public static DatasetInfo get(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return ALL.stream()
                .filter(d -> d.name().equals(wanted))
                .findFirst()
                .orElseThrow(
                        () ->
                                new DatasetException(
                                        "no data set named '"
                                                + name
                                                + "'; known data sets: "
                                                + names()
                                                + ". To use your own, read a JSONL or CSV file"
                                                + " with DatasetReader"));
    }
}
