package io.forwardloop.datasets;

import java.util.List;

/**
 * A partition of a data set into a training part and a test part, disjoint by position.
 *
 * @param train the items to train on
 * @param test the held-out items
 * @param <T> the item type
 */
public record Split<T>(List<T> train, List<T> test) {

    /** Copies both lists so the split cannot change later. */
    public Split {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }
}
