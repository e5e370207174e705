package io.forwardloop.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TarReaderTest {

    @Test
    void shouldReadWantedFilesIncludingGnuLongNames() throws IOException {
        String longName = "package/" + "deep/".repeat(30) + "file.json";
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "package/skip.txt", '0', "ignored");
        entry(tar, "././@LongLink", 'L', longName + "\0");
        entry(tar, longName.substring(0, 99), '0', "[1, 2]");
        entry(tar, "package/a.json", '0', "{}");
        tar.write(new byte[1024]);

        Map<String, byte[]> files =
                TarReader.read(
                        new ByteArrayInputStream(tar.toByteArray()), p -> p.endsWith(".json"));

        assertThat(files).containsOnlyKeys(longName, "package/a.json");
        assertThat(new String(files.get(longName), StandardCharsets.UTF_8)).isEqualTo("[1, 2]");
    }

    @Test
    void shouldFailOnATruncatedArchive() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "package/a.json", '0', "{\"text\": \"long enough\"}");
        byte[] cut = Arrays.copyOf(tar.toByteArray(), 520);

        assertThatThrownBy(() -> TarReader.read(new ByteArrayInputStream(cut), p -> true))
                .isInstanceOf(EOFException.class);
    }

    private static void entry(ByteArrayOutputStream tar, String name, char type, String content)
            throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 124, String.format("%011o", data.length));
        header[156] = (byte) type;
        put(header, 257, "ustar");
        tar.write(header);
        tar.write(Arrays.copyOf(data, (data.length + 511) / 512 * 512));
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
