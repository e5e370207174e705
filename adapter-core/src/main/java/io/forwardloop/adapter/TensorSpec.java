package io.forwardloop.adapter;

import java.util.Arrays;
import java.util.Objects;

/** The name and row-major shape of one trainable tensor of an adapter. */
public final class TensorSpec {
    private final String name;
    private final int[] shape;

    /** Creates a tensor spec; every dimension must be positive. */
    public TensorSpec(String name, int... shape) {
        this.name = Objects.requireNonNull(name, "name");
        this.shape = shape.clone();
        for (int dim : shape) {
            if (dim <= 0) {
                throw new IllegalArgumentException(
                        "tensor " + name + " has non-positive dimension " + dim);
            }
        }
    }

    /** The graph input name this tensor is fed to. */
    public String name() {
        return name;
    }

    /** A copy of the shape, outermost dimension first. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The size of one dimension. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** The number of elements. */
    public int size() {
        int size = 1;
        for (int dim : shape) {
            size = Math.multiplyExact(size, dim);
        }
        return size;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorSpec
                && ((TensorSpec) other).name.equals(name)
                && Arrays.equals(((TensorSpec) other).shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
