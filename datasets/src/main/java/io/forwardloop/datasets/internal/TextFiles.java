package io.forwardloop.datasets.internal;

import io.forwardloop.datasets.DatasetFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads whole text files as strict UTF-8. */
public final class TextFiles {

    /** The Unicode byte order mark as it appears after UTF-8 decoding. */
    static final char BOM = '\uFEFF';

    private TextFiles() {}

    /**
     * The contents of {@code file} decoded as UTF-8.
     *
     * @throws DatasetFormatException naming the line of the first byte that is not valid UTF-8
     */
    public static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new DatasetFormatException(
                    file,
                    lineAt(bytes, in.position()),
                    "not valid UTF-8 at byte " + in.position() + "; save the file as UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** {@code s} without a leading byte order mark. */
    static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == BOM ? s.substring(1) : s;
    }

    private static long lineAt(byte[] bytes, int offset) {
        long line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
