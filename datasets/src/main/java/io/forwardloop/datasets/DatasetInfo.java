package io.forwardloop.datasets;

import java.util.List;

/**
 * What the catalog knows about one fetchable data set: where it comes from and what it holds.
 *
 * @param name the short name used with {@link Datasets#fetch}, e.g. {@code uci}
 * @param title the data set's usual name
 * @param citation the paper to cite when using it
 * @param licence the terms it is distributed under, as its sources state them
 * @param sourcePackage the package it is fetched from, e.g. {@code npm package sentiment@5.0.2}
 * @param archiveFileName the file name of the package archive that is verified
 * @param sha256 the pinned SHA-256 of that archive, lower-case hex
 * @param size the number of labeled texts it holds
 * @param labels the labels it uses after normalisation
 * @param domains the domains its texts are tagged with
 */
public record DatasetInfo(
        String name,
        String title,
        String citation,
        String licence,
        String sourcePackage,
        String archiveFileName,
        String sha256,
        int size,
        List<String> labels,
        List<String> domains) {

    /** The file name of the normalised JSONL in a cache directory. */
    public String cacheFileName() {
        return name + ".jsonl";
    }
}
