package io.forwardloop.datasets;

import java.util.Objects;

/**
 * One labeled sentence of a data set: its text, its label, and where it came from.
 *
 * <p>Labels are kept as strings whatever type the source used ({@code 1}, {@code true} and {@code
 * "positive"} all stay as written). {@code domain} names the source within a data set (for UCI:
 * {@code amazon}, {@code imdb} or {@code yelp}) and is {@code null} when the source has none.
 *
 * @param text the sentence; never blank
 * @param label the label as a string; never blank
 * @param domain the source within the data set, or {@code null}
 */
public record LabeledText(String text, String label, String domain) {

    /** Checks that text and label are present and not blank. */
    public LabeledText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
        if (text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank");
        }
        if (label.isBlank()) {
            throw new IllegalArgumentException("label must not be blank; text: " + text);
        }
    }

    /** A labeled text without a domain. */
    public LabeledText(String text, String label) {
        this(text, label, null);
    }

    /** Whether this text names its domain. */
    public boolean hasDomain() {
        return domain != null;
    }
}
