package io.forwardloop.adapter;

import io.forwardloop.adapter.internal.ParameterCodec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The trainable tensors of one adapter, as float32 arrays in the fixed order of {@link
 * AdapterSpec#tensors()}.
 *
 * <p>Mutable: {@link #data(int)} returns the live array, which optimisers update in place. The
 * tensor's position is the tensor index used by {@link Perturbation}. Not thread-safe.
 */
public final class AdapterParameters {
    private final AdapterSpec spec;
    private final float[][] data;

    private AdapterParameters(AdapterSpec spec, float[][] data) {
        this.spec = spec;
        this.data = data;
    }

    /** All tensors zero. */
    public static AdapterParameters zeros(AdapterSpec spec) {
        List<TensorSpec> tensors = spec.tensors();
        float[][] data = new float[tensors.size()][];
        for (int i = 0; i < data.length; i++) {
            data[i] = new float[tensors.get(i).size()];
        }
        return new AdapterParameters(spec, data);
    }

    /**
     * Seeded initial parameters: weights {@code N(0,1)/sqrt(fan-in)}, biases zero, and for the
     * low-rank classifier {@code lora_up} zero (the residual starts as the identity, as in LoRA)
     * and the classifier zero (every label equally likely).
     */
    public static AdapterParameters initialize(AdapterSpec spec, long seed) {
        AdapterParameters params = zeros(spec);
        List<TensorSpec> tensors = spec.tensors();
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec tensor = tensors.get(i);
            if (isRandomlyInitialised(tensor)) {
                float[] values = params.data[i];
                Perturbation.fill(seed, i, Perturbation.INITIALIZATION_STREAM, values);
                float gain = (float) (1.0 / Math.sqrt(tensor.dim(1)));
                for (int k = 0; k < values.length; k++) {
                    values[k] *= gain;
                }
            }
        }
        return params;
    }

    private static boolean isRandomlyInitialised(TensorSpec tensor) {
        return tensor.rank() == 2
                && !tensor.name().equals(AdapterSpec.LORA_UP)
                && !tensor.name().equals(AdapterSpec.CLASSIFIER_WEIGHT);
    }

    /** Creates parameters from explicit arrays, copied, in the spec's tensor order. */
    public static AdapterParameters of(AdapterSpec spec, List<float[]> tensors) {
        List<TensorSpec> specs = spec.tensors();
        if (tensors.size() != specs.size()) {
            throw new IllegalArgumentException(
                    "expected " + specs.size() + " tensors " + specs + ", got " + tensors.size());
        }
        float[][] data = new float[specs.size()][];
        for (int i = 0; i < data.length; i++) {
            data[i] = checkedCopy(specs.get(i), tensors.get(i));
        }
        return new AdapterParameters(spec, data);
    }

    private static float[] checkedCopy(TensorSpec spec, float[] values) {
        if (values.length != spec.size()) {
            throw new IllegalArgumentException(
                    "tensor " + spec + " needs " + spec.size() + " values, got " + values.length);
        }
        return values.clone();
    }

    /** Decodes parameters written by {@link #toBytes()}; throws if malformed. */
    public static AdapterParameters fromBytes(byte[] bytes) {
        ParameterCodec.Decoded decoded = ParameterCodec.decode(bytes);
        return new AdapterParameters(decoded.spec(), decoded.tensors());
    }

    public AdapterSpec spec() {
        return spec;
    }

    /** The number of tensors. */
    public int tensorCount() {
        return data.length;
    }

    /** The spec of tensor {@code index}. */
    public TensorSpec tensorSpec(int index) {
        return spec.tensors().get(index);
    }

    /** The live, row-major values of tensor {@code index}; writes change these parameters. */
    public float[] data(int index) {
        return data[index];
    }

    /** The live values of the tensor with the given name. */
    public float[] data(String name) {
        return data[indexOf(name)];
    }

    /** The position of the named tensor in the fixed order. */
    public int indexOf(String name) {
        List<TensorSpec> tensors = spec.tensors();
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                "adapter " + spec.kind() + " has no tensor " + name + "; tensors: " + tensors);
    }

    /** A deep copy. */
    public AdapterParameters copy() {
        float[][] copy = new float[data.length][];
        for (int i = 0; i < data.length; i++) {
            copy[i] = data[i].clone();
        }
        return new AdapterParameters(spec, copy);
    }

    /** Overwrites every value with the values of {@code source}, which must share the spec. */
    public void copyFrom(AdapterParameters source) {
        if (!source.spec.equals(spec)) {
            throw new IllegalArgumentException(
                    "cannot copy parameters of " + source.spec + " into " + spec);
        }
        for (int i = 0; i < data.length; i++) {
            System.arraycopy(source.data[i], 0, data[i], 0, data[i].length);
        }
    }

    /** The number of NaN or infinite values. */
    public int nonFiniteCount() {
        int count = 0;
        for (float[] tensor : data) {
            for (float value : tensor) {
                count += Float.isFinite(value) ? 0 : 1;
            }
        }
        return count;
    }

    /** True when both have the same spec and bit-identical values. */
    public boolean contentEquals(AdapterParameters other) {
        if (!spec.equals(other.spec)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (!Arrays.equals(data[i], other.data[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The serialised form: little-endian, a header (magic "FLAP", format version, kind, sizes,
     * scales, labels) and then each tensor's name, shape and float32 values. See the README.
     */
    public byte[] toBytes() {
        List<float[]> tensors = new ArrayList<>(Arrays.asList(data));
        return ParameterCodec.encode(spec, tensors);
    }

    /** Lower-case hex SHA-256 of {@link #toBytes()}: equal digests mean identical bits. */
    public String digest() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(toBytes());
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "AdapterParameters{" + spec + "}";
    }
}
