package io.forwardloop.schemaregistry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.forwardloop.schemaregistry.SchemaRegistryServerException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of registry changes, one JSON object a line, forced to disk on each append.
 *
 * <p>At start the lines are replayed in order. A line that does not parse (a torn write after a
 * crash, a damaged block) is logged at WARN and handed back as unreadable, with its text, so that
 * the store can keep ids it might have held out of use; every other line still applies. A lock file
 * keeps a second server off the same directory.
 */
final class Journal implements Closeable {
    static final String FILE_NAME = "journal.jsonl";
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    /** One non-blank line: its number, its JSON, or null when it does not parse, and its text. */
    record Entry(int line, JsonNode json, String text) {
        boolean readable() {
            return json != null;
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ObjectMapper mapper;

    private Journal(
            Path file,
            FileChannel channel,
            FileChannel lockChannel,
            FileLock lock,
            ObjectMapper mapper) {
        this.file = file;
        this.channel = channel;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.mapper = mapper;
    }

    /** Opens (creating if needed) the journal in {@code dir} and locks the directory. */
    static Journal open(Path dir, ObjectMapper mapper) {
        try {
            Files.createDirectories(dir);
            FileChannel lockChannel =
                    FileChannel.open(
                            dir.resolve("journal.lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
            FileLock lock = lock(lockChannel, dir);
            Path file = dir.resolve(FILE_NAME);
            FileChannel channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            channel.position(channel.size());
            return new Journal(file, channel, lockChannel, lock, mapper);
        } catch (IOException e) {
            throw new SchemaRegistryServerException(
                    "cannot open the schema registry journal in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static FileLock lock(FileChannel lockChannel, Path dir) throws IOException {
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new SchemaRegistryServerException(
                    "schema registry data directory "
                            + dir
                            + " is in use by another server; give each server its own directory");
        }
        return lock;
    }

    /** Reads every non-blank line, oldest first; unreadable ones come back without JSON. */
    List<Entry> replay() {
        List<Entry> entries = new ArrayList<>();
        List<String> lines = readLines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(new Entry(i + 1, mapper.readTree(line), line));
            } catch (JsonProcessingException e) {
                entries.add(new Entry(i + 1, null, line));
                LOG.warn(
                        "Ignoring unreadable line {} of schema registry journal {} ({})",
                        i + 1,
                        file,
                        e.getOriginalMessage());
            }
        }
        return entries;
    }

    private List<String> readLines() {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SchemaRegistryServerException(
                    "cannot read the schema registry journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends {@code entry} as one line and forces it to disk before returning. */
    void append(ObjectNode entry) {
        try {
            byte[] line =
                    (mapper.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(prefixIfTorn(line));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new SchemaRegistryServerException(
                    "cannot append to the schema registry journal " + file + ": " + e.getMessage(),
                    e);
        }
    }

    /** Starts on a fresh line when the file ends in the middle of one (a torn earlier write). */
    private byte[] prefixIfTorn(byte[] line) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return line;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, size - 1);
        if (last.get(0) == '\n') {
            return line;
        }
        byte[] prefixed = new byte[line.length + 1];
        prefixed[0] = '\n';
        System.arraycopy(line, 0, prefixed, 1, line.length);
        return prefixed;
    }

    @Override
    public void close() throws IOException {
        try (lockChannel;
                channel) {
            lock.release();
        }
    }
}
