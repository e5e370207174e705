package io.forwardloop.adapter;

import io.forwardloop.adapter.internal.OrtAdapterFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and verifies ONNX Runtime adapter files ({@code .onnx_adapter}), the flatbuffer that
 * {@code OrtLoraAdapter} loads to feed an adapter's tensors to the graph inputs of the same names.
 *
 * <p>Layout follows ONNX Runtime's {@code adapter_schema.fbs}: file identifier "TORT", format
 * version 1, an adapter version and a model version, and one Parameter per tensor (name, int64
 * dims, data type FLOAT, little-endian float32 bytes aligned to 8). {@link #verify} checks a file
 * against a spec before it is handed to ONNX Runtime, so a corrupt or mismatched file is refused
 * with a message that names what is wrong.
 */
public final class OnnxAdapterFile {
    private OnnxAdapterFile() {}

    /** Encodes the parameters as an adapter file, tensors in the spec's order. */
    public static byte[] toBytes(AdapterParameters params, int adapterVersion, int modelVersion) {
        List<OrtAdapterFormat.Parameter> parameters = new ArrayList<>();
        for (int t = 0; t < params.tensorCount(); t++) {
            TensorSpec tensor = params.tensorSpec(t);
            ByteBuffer raw =
                    ByteBuffer.allocate(tensor.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(params.data(t));
            long[] dims = Arrays.stream(tensor.shape()).asLongStream().toArray();
            parameters.add(
                    new OrtAdapterFormat.Parameter(
                            tensor.name(), dims, OrtAdapterFormat.FLOAT, raw));
        }
        return OrtAdapterFormat.write(adapterVersion, modelVersion, parameters);
    }

    /** Writes {@link #toBytes} to {@code path}. */
    public static void write(
            Path path, AdapterParameters params, int adapterVersion, int modelVersion) {
        try {
            Files.write(path, toBytes(params, adapterVersion, modelVersion));
        } catch (IOException e) {
            throw new AdapterException("could not write adapter file " + path, e);
        }
    }

    /** The header of an adapter file. */
    public record Header(int formatVersion, int adapterVersion, int modelVersion) {}

    /** Reads the header fields, checking the identifier and the format version. */
    public static Header header(byte[] bytes) {
        OrtAdapterFormat.Adapter adapter = OrtAdapterFormat.read(bytes);
        checkFormatVersion(adapter);
        return new Header(
                adapter.formatVersion(), adapter.adapterVersion(), adapter.modelVersion());
    }

    /**
     * Checks that {@code bytes} is an adapter file holding exactly the spec's tensors with the
     * spec's shapes, as finite float32, and returns them as parameters.
     *
     * @throws AdapterFormatException naming the first problem found
     */
    public static AdapterParameters verify(byte[] bytes, AdapterSpec spec) {
        OrtAdapterFormat.Adapter adapter = OrtAdapterFormat.read(bytes);
        checkFormatVersion(adapter);
        Map<String, OrtAdapterFormat.Parameter> byName = new HashMap<>();
        for (OrtAdapterFormat.Parameter parameter : adapter.parameters()) {
            if (byName.put(parameter.name(), parameter) != null) {
                throw new AdapterFormatException(
                        "adapter file holds tensor " + parameter.name() + " twice");
            }
        }
        List<float[]> tensors = new ArrayList<>();
        for (TensorSpec tensor : spec.tensors()) {
            tensors.add(checkedValues(byName.remove(tensor.name()), tensor));
        }
        if (!byName.isEmpty()) {
            throw new AdapterFormatException(
                    "adapter file holds tensors " + byName.keySet() + " that " + spec + " lacks");
        }
        return AdapterParameters.of(spec, tensors);
    }

    private static void checkFormatVersion(OrtAdapterFormat.Adapter adapter) {
        if (adapter.formatVersion() != OrtAdapterFormat.FORMAT_VERSION) {
            throw new AdapterFormatException(
                    "adapter file format version "
                            + adapter.formatVersion()
                            + " is not supported; ONNX Runtime reads version "
                            + OrtAdapterFormat.FORMAT_VERSION);
        }
    }

    private static float[] checkedValues(OrtAdapterFormat.Parameter parameter, TensorSpec tensor) {
        if (parameter == null) {
            throw new AdapterFormatException("adapter file lacks tensor " + tensor);
        }
        long[] expected = Arrays.stream(tensor.shape()).asLongStream().toArray();
        if (!Arrays.equals(parameter.dims(), expected)
                || parameter.dataType() != OrtAdapterFormat.FLOAT) {
            throw new AdapterFormatException(
                    "adapter file holds tensor "
                            + parameter.name()
                            + Arrays.toString(parameter.dims())
                            + " of data type "
                            + parameter.dataType()
                            + "; expected "
                            + tensor
                            + " of FLOAT (1)");
        }
        return finiteValues(parameter, tensor);
    }

    private static float[] finiteValues(OrtAdapterFormat.Parameter parameter, TensorSpec tensor) {
        if (parameter.rawData().remaining() != tensor.size() * Float.BYTES) {
            throw new AdapterFormatException(
                    "adapter file tensor "
                            + tensor
                            + " has "
                            + parameter.rawData().remaining()
                            + " bytes of data; expected "
                            + tensor.size() * Float.BYTES);
        }
        float[] values = new float[tensor.size()];
        FloatBuffer floats =
                parameter.rawData().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        floats.get(values);
        long nonFinite = 0;
        for (float value : values) {
            nonFinite += Float.isFinite(value) ? 0 : 1;
        }
        if (nonFinite > 0) {
            throw new AdapterFormatException(
                    "adapter file tensor " + tensor + " has " + nonFinite + " non-finite weights");
        }
        return values;
    }
}
