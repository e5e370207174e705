package io.forwardloop.datasets.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads the regular files of a tar stream (ustar, with GNU long names and pax paths).
 *
 * <p>Only what package archives use is supported: sizes in octal, no sparse files.
 */
final class TarReader {

    private static final int BLOCK = 512;

    private TarReader() {}

    /** The contents of the regular files whose path {@code wanted} accepts, by path. */
    static Map<String, byte[]> read(InputStream tar, Predicate<String> wanted) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String override = null;
        byte[] header = new byte[BLOCK];
        while (readBlock(tar, header) && !isZero(header)) {
            char type = (char) header[156];
            long size = Long.parseLong(field(header, 124, 12).strip(), 8);
            String path = override != null ? override : path(header);
            byte[] data =
                    type == 'L' || type == 'x' || wanted.test(path) ? new byte[(int) size] : null;
            readData(tar, data, size);
            override = type == 'L' ? cString(data) : type == 'x' ? paxPath(data) : null;
            if (data != null && (type == '0' || type == '\0')) {
                files.put(path, data);
            }
        }
        return files;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n != 0 && n != BLOCK) {
            throw new EOFException("tar header cut short after " + n + " bytes");
        }
        return n == BLOCK;
    }

    private static void readData(InputStream in, byte[] into, long size) throws IOException {
        long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
        int read = into == null ? 0 : into.length;
        if (into != null && in.readNBytes(into, 0, read) != read) {
            throw new EOFException("tar entry cut short");
        }
        in.skipNBytes(padded - read);
    }

    private static String path(byte[] header) {
        String name = field(header, 0, 100);
        boolean ustar = field(header, 257, 5).equals("ustar");
        String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String paxPath(byte[] data) {
        for (String record : new String(data, StandardCharsets.UTF_8).split("\n")) {
            int eq = record.indexOf(" path=");
            if (eq >= 0) {
                return record.substring(eq + " path=".length());
            }
        }
        return null;
    }

    private static String field(byte[] header, int offset, int length) {
        return cString(Arrays.copyOfRange(header, offset, offset + length));
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
