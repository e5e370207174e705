package io.forwardloop.replay.internal;

import io.forwardloop.flink.JsonRecords;
import io.forwardloop.replay.ReplayException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Reads records of one type from a file in order, with the position after each: a JSONL file (one
 * JSON object a line, Avro field names) or, for a name ending in {@code .avro}, an Avro container
 * file. Blank lines are skipped; a malformed line fails naming the file and the line.
 */
public abstract class RecordReader<T extends SpecificRecordBase> implements AutoCloseable {
    protected final Path file;
    protected final Class<T> type;
    protected long records;

    private RecordReader(Path file, Class<T> type) {
        this.file = file;
        this.type = type;
    }

    /** Opens {@code file} at {@code position}, the position an earlier reader reported. */
    public static <T extends SpecificRecordBase> RecordReader<T> open(
            Path file, Class<T> type, Position position) {
        if (!Files.isRegularFile(file)) {
            throw new ReplayException(
                    "input file " + file + " does not exist or is not a regular file");
        }
        try {
            return isAvro(file)
                    ? new AvroReader<>(file, type, position)
                    : new JsonlReader<>(file, type, position);
        } catch (IOException e) {
            throw new ReplayException("cannot open input file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Counts the records of {@code file} from {@code position} to its end. */
    public static <T extends SpecificRecordBase> long count(
            Path file, Class<T> type, Position position) {
        long n = 0;
        try (RecordReader<T> reader = open(file, type, position)) {
            while (reader.next() != null) {
                n++;
            }
        }
        return n;
    }

    public static boolean isAvro(Path file) {
        return file.getFileName().toString().endsWith(".avro");
    }

    /** The next record, or null at the end of the file. */
    public abstract T next();

    /** The position after the last record returned. */
    public abstract Position position();

    @Override
    public abstract void close();

    /**
     * A position in a file.
     *
     * @param records records read before it
     * @param lines lines read before it (JSONL; equal to records for Avro)
     * @param byteOffset the byte offset of the next line (JSONL; 0 for Avro)
     */
    public record Position(long records, long lines, long byteOffset) {
        public static final Position START = new Position(0, 0, 0);
    }

    private static final class JsonlReader<T extends SpecificRecordBase> extends RecordReader<T> {
        private final InputStream in;
        private long lines;
        private long offset;

        JsonlReader(Path file, Class<T> type, Position position) throws IOException {
            super(file, type);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(position.byteOffset());
            this.in = new java.io.BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
            this.records = position.records();
            this.lines = position.lines();
            this.offset = position.byteOffset();
        }

        @Override
        public T next() {
            String line;
            while ((line = readLine()) != null) {
                if (!line.isBlank()) {
                    records++;
                    return parse(line);
                }
            }
            return null;
        }

        private T parse(String line) {
            try {
                return JsonRecords.parse(line, type);
            } catch (IllegalArgumentException e) {
                throw new ReplayException(
                        "malformed "
                                + type.getSimpleName()
                                + " in "
                                + file
                                + " at line "
                                + lines
                                + ": "
                                + e.getMessage()
                                + "; fix or remove that line",
                        e);
            }
        }

        private String readLine() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            try {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                while (b >= 0 && b != '\n') {
                    bytes.write(b);
                    b = in.read();
                }
                offset += bytes.size() + (b == '\n' ? 1 : 0);
                lines++;
                return bytes.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        @Override
        public Position position() {
            return new Position(records, lines, offset);
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file, e);
            }
        }
    }

    private static final class AvroReader<T extends SpecificRecordBase> extends RecordReader<T> {
        private final DataFileReader<T> reader;

        AvroReader(Path file, Class<T> type, Position position) throws IOException {
            super(file, type);
            this.reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(type));
            while (records < position.records() && next() != null) {
                // skips the records an earlier run has read
            }
        }

        @Override
        public T next() {
            try {
                if (!reader.hasNext()) {
                    return null;
                }
                T record = reader.next();
                records++;
                return record;
            } catch (RuntimeException e) {
                throw new ReplayException(
                        "malformed Avro container file "
                                + file
                                + " after record "
                                + records
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }

        @Override
        public Position position() {
            return new Position(records, records, 0);
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file, e);
            }
        }
    }
}
