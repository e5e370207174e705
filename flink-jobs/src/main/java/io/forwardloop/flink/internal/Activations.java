package io.forwardloop.flink.internal;

import java.util.List;

/** Conversions between Avro float arrays and Java arrays. */
public final class Activations {
    private Activations() {}

    /** The values of an Avro float array as a Java array. */
    public static float[] toArray(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
