package io.forwardloop.adapter.internal;

import io.forwardloop.adapter.AdapterFormatException;
import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.TensorSpec;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Little-endian serialisation of adapter parameters with a self-describing header. */
public final class ParameterCodec {
    /** "FLAP" read as a little-endian int32. */
    static final int MAGIC = 0x50414c46;

    static final int FORMAT_VERSION = 1;

    private ParameterCodec() {}

    /** Spec and tensors read back from bytes. */
    public record Decoded(AdapterSpec spec, float[][] tensors) {}

    /** Serialises the spec header and the tensors, in the spec's order. */
    public static byte[] encode(AdapterSpec spec, List<float[]> tensors) {
        Writer out = new Writer();
        out.putInt(MAGIC);
        out.putInt(FORMAT_VERSION);
        out.putInt(spec.kind().code());
        out.putInt(spec.inputDim());
        out.putInt(spec.rank());
        out.putFloat(spec.loraScale());
        out.putFloat(spec.labelScale());
        out.putFloat(spec.goodnessThreshold());
        out.putInts(spec.hiddenSizes().stream().mapToInt(Integer::intValue).toArray());
        out.putInt(spec.labelCount());
        spec.labels().forEach(out::putString);
        out.putInt(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec tensor = spec.tensors().get(i);
            out.putString(tensor.name());
            out.putInts(tensor.shape());
            out.putFloats(tensors.get(i));
        }
        return out.toByteArray();
    }

    /** Reads what {@link #encode} wrote; any inconsistency is an {@link AdapterFormatException}. */
    public static Decoded decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            Decoded decoded = decodeFrom(in);
            if (in.hasRemaining()) {
                throw new AdapterFormatException(
                        "adapter parameters have " + in.remaining() + " trailing bytes");
            }
            return decoded;
        } catch (BufferUnderflowException e) {
            throw new AdapterFormatException(
                    "adapter parameters are truncated (" + bytes.length + " bytes)", e);
        }
    }

    private static Decoded decodeFrom(ByteBuffer in) {
        checkHeader(in);
        AdapterSpec spec = readSpec(in);
        int count = in.getInt();
        List<TensorSpec> expected = spec.tensors();
        if (count != expected.size()) {
            throw new AdapterFormatException(
                    "adapter parameters hold "
                            + count
                            + " tensors; "
                            + spec
                            + " needs "
                            + expected);
        }
        float[][] tensors = new float[count][];
        for (int i = 0; i < count; i++) {
            tensors[i] = readTensor(in, expected.get(i));
        }
        return new Decoded(spec, tensors);
    }

    private static void checkHeader(ByteBuffer in) {
        int magic = in.getInt();
        if (magic != MAGIC) {
            throw new AdapterFormatException(
                    "not adapter parameters: magic 0x" + Integer.toHexString(magic));
        }
        int version = in.getInt();
        if (version != FORMAT_VERSION) {
            throw new AdapterFormatException(
                    "adapter parameter format version "
                            + version
                            + " is not supported; this reader knows "
                            + FORMAT_VERSION);
        }
    }

    private static AdapterSpec readSpec(ByteBuffer in) {
        try {
            AdapterSpec.Builder builder = AdapterSpec.builder(AdapterKind.fromCode(in.getInt()));
            builder.inputDim(in.getInt()).rank(in.getInt());
            builder.loraScale(in.getFloat()).labelScale(in.getFloat());
            builder.goodnessThreshold(in.getFloat());
            builder.hiddenSizes(Arrays.stream(readInts(in)).boxed().toList());
            int labelCount = checkedCount(in, in.getInt(), 4);
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < labelCount; i++) {
                labels.add(readString(in));
            }
            return builder.labels(labels).build();
        } catch (IllegalArgumentException e) {
            throw new AdapterFormatException(
                    "adapter parameters carry an invalid spec: " + e.getMessage(), e);
        }
    }

    private static float[] readTensor(ByteBuffer in, TensorSpec expected) {
        String name = readString(in);
        int[] shape = readInts(in);
        if (!name.equals(expected.name()) || !Arrays.equals(shape, expected.shape())) {
            throw new AdapterFormatException(
                    "adapter parameters hold tensor "
                            + name
                            + Arrays.toString(shape)
                            + " where the spec needs "
                            + expected);
        }
        float[] values = new float[checkedCount(in, expected.size(), Float.BYTES)];
        in.asFloatBuffer().get(values);
        in.position(in.position() + values.length * Float.BYTES);
        return values;
    }

    private static int[] readInts(ByteBuffer in) {
        int[] values = new int[checkedCount(in, in.getInt(), Integer.BYTES)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.getInt();
        }
        return values;
    }

    private static String readString(ByteBuffer in) {
        byte[] utf8 = new byte[checkedCount(in, in.getInt(), 1)];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static int checkedCount(ByteBuffer in, int count, int elementBytes) {
        if (count < 0 || (long) count * elementBytes > in.remaining()) {
            throw new AdapterFormatException(
                    "adapter parameters are truncated or corrupt: they declare "
                            + count
                            + " elements with only "
                            + in.remaining()
                            + " bytes left");
        }
        return count;
    }

    /** Growable little-endian byte sink. */
    private static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);

        void putInt(int value) {
            scratch.clear();
            scratch.putInt(value);
            bytes.write(scratch.array(), 0, 4);
        }

        void putFloat(float value) {
            putInt(Float.floatToRawIntBits(value));
        }

        void putInts(int[] values) {
            putInt(values.length);
            for (int value : values) {
                putInt(value);
            }
        }

        void putFloats(float[] values) {
            for (float value : values) {
                putFloat(value);
            }
        }

        void putString(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            putInt(utf8.length);
            bytes.write(utf8, 0, utf8.length);
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
