package io.forwardloop.adapter.internal;

import com.google.flatbuffers.FlatBufferBuilder;
import io.forwardloop.adapter.AdapterFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Runtime's adapter flatbuffer ({@code adapter_schema.fbs}, namespace onnxruntime.adapters),
 * written and read by hand.
 *
 * <pre>
 *   table Parameter { name:string; dims:[int64]; data_type:TensorDataType (int32);
 *                     raw_data:[uint8] (force_align: 8); }
 *   table Adapter   { format_version:int; adapter_version:int; model_version:int;
 *                     parameters:[Parameter]; }
 *   root_type Adapter; file_identifier "TORT";
 * </pre>
 */
public final class OrtAdapterFormat {
    /** The flatbuffer file identifier at bytes 4..8. */
    public static final String IDENTIFIER = "TORT";

    /** The only format version ONNX Runtime reads. */
    public static final int FORMAT_VERSION = 1;

    /** TensorDataType.FLOAT. */
    public static final int FLOAT = 1;

    private static final int RAW_DATA_ALIGNMENT = 8;

    private OrtAdapterFormat() {}

    /** One named tensor as stored in the file. */
    public record Parameter(String name, long[] dims, int dataType, ByteBuffer rawData) {}

    /** The header fields and parameters of one file. */
    public record Adapter(
            int formatVersion, int adapterVersion, int modelVersion, List<Parameter> parameters) {}

    /** Writes one adapter buffer; raw data must already be little-endian. */
    public static byte[] write(int adapterVersion, int modelVersion, List<Parameter> parameters) {
        FlatBufferBuilder builder = new FlatBufferBuilder(1024);
        int[] offsets = new int[parameters.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = writeParameter(builder, parameters.get(i));
        }
        int vector = builder.createVectorOfTables(offsets);
        builder.startTable(4);
        builder.addInt(0, FORMAT_VERSION, 0);
        builder.addInt(1, adapterVersion, 0);
        builder.addInt(2, modelVersion, 0);
        builder.addOffset(3, vector, 0);
        builder.finish(builder.endTable(), IDENTIFIER);
        return builder.sizedByteArray();
    }

    private static int writeParameter(FlatBufferBuilder builder, Parameter parameter) {
        int name = builder.createString(parameter.name());
        builder.startVector(Long.BYTES, parameter.dims().length, Long.BYTES);
        for (int i = parameter.dims().length - 1; i >= 0; i--) {
            builder.addLong(parameter.dims()[i]);
        }
        int dims = builder.endVector();
        byte[] raw = new byte[parameter.rawData().remaining()];
        parameter.rawData().duplicate().get(raw);
        // force_align: 8 -- pad so that the bytes themselves start on an 8-byte boundary
        builder.prep(RAW_DATA_ALIGNMENT, raw.length);
        int rawData = builder.createByteVector(raw);
        builder.startTable(4);
        builder.addOffset(0, name, 0);
        builder.addOffset(1, dims, 0);
        builder.addInt(2, parameter.dataType(), 0);
        builder.addOffset(3, rawData, 0);
        return builder.endTable();
    }

    /** Parses a buffer, checking every offset and length against its bounds. */
    public static Adapter read(byte[] bytes) {
        if (bytes.length < 8) {
            throw new AdapterFormatException(
                    "adapter file is " + bytes.length + " bytes, too short to hold a header");
        }
        String identifier = new String(bytes, 4, 4, StandardCharsets.ISO_8859_1);
        if (!identifier.equals(IDENTIFIER)) {
            throw new AdapterFormatException(
                    "not an ONNX Runtime adapter file: identifier '"
                            + identifier
                            + "', expected '"
                            + IDENTIFIER
                            + "'");
        }
        try {
            return readAdapter(new Reader(bytes));
        } catch (IndexOutOfBoundsException e) {
            throw new AdapterFormatException(
                    "adapter file is truncated or corrupt: an offset points outside its "
                            + bytes.length
                            + " bytes",
                    e);
        }
    }

    private static Adapter readAdapter(Reader in) {
        int table = in.target(0);
        int count = in.vectorLength(in.field(table, 3), "parameters");
        int start = in.target(in.field(table, 3)) + 4;
        List<Parameter> parameters = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            parameters.add(readParameter(in, in.target(start + 4 * i)));
        }
        return new Adapter(
                in.intField(table, 0), in.intField(table, 1), in.intField(table, 2), parameters);
    }

    private static Parameter readParameter(Reader in, int table) {
        String name = in.string(in.field(table, 0));
        int dimsField = in.field(table, 1);
        long[] dims = new long[in.vectorLength(dimsField, "dims")];
        int dimsStart = in.target(dimsField) + 4;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = in.buffer.getLong(dimsStart + 8 * i);
        }
        int rawField = in.field(table, 3);
        int rawLength = in.vectorLength(rawField, "raw_data");
        ByteBuffer raw =
                in.buffer.slice(in.target(rawField) + 4, rawLength).order(ByteOrder.LITTLE_ENDIAN);
        return new Parameter(name, dims, in.intField(table, 2), raw);
    }

    /** Bounds-checked access to flatbuffer tables, vectors and strings. */
    private static final class Reader {
        final ByteBuffer buffer;

        Reader(byte[] bytes) {
            this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** Follows the uoffset stored at {@code position}. */
        int target(int position) {
            long target = position + Integer.toUnsignedLong(buffer.getInt(position));
            if (target >= buffer.limit()) {
                throw new IndexOutOfBoundsException("offset target " + target);
            }
            return (int) target;
        }

        /** Position of field {@code slot} in the table, or -1 when absent. */
        int field(int table, int slot) {
            int vtable = table - buffer.getInt(table);
            int vtableSize = Short.toUnsignedInt(buffer.getShort(vtable));
            int entry = 4 + 2 * slot;
            if (entry >= vtableSize) {
                return -1;
            }
            int offset = Short.toUnsignedInt(buffer.getShort(vtable + entry));
            return offset == 0 ? -1 : table + offset;
        }

        int intField(int table, int slot) {
            int position = field(table, slot);
            return position < 0 ? 0 : buffer.getInt(position);
        }

        int vectorLength(int field, String name) {
            if (field < 0) {
                throw new AdapterFormatException("adapter file lacks the " + name + " vector");
            }
            int start = target(field);
            long length = Integer.toUnsignedLong(buffer.getInt(start));
            if (length > buffer.limit() - start - 4L) {
                throw new AdapterFormatException(
                        "adapter file declares a "
                                + name
                                + " vector of "
                                + length
                                + " elements past its end");
            }
            return (int) length;
        }

        String string(int field) {
            if (field < 0) {
                return "";
            }
            int length = vectorLength(field, "name");
            byte[] utf8 = new byte[length];
            buffer.get(target(field) + 4, utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }
    }
}
