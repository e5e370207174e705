package io.forwardloop.bench.trainer;

import java.util.ArrayList;
import java.util.List;

/**
 * Test accuracy of one training run as it progresses.
 *
 * @param method the training method
 * @param points (signals, training seconds, test accuracy), in order
 */
public record LearningCurve(String method, List<Point> points) {
    /** One measurement. */
    public record Point(long signals, double seconds, double accuracy) {}

    /** An empty curve to add points to. */
    public static LearningCurve of(String method) {
        return new LearningCurve(method, new ArrayList<>());
    }
}
