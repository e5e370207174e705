package io.forwardloop.replay.internal;

import io.forwardloop.replay.ReplayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a republishing replay has sent, per input file: the position after the last record flushed
 * to Kafka, and the file's size and modification time so that a changed file is noticed.
 *
 * <p>Stored as JSON in the work directory and replaced atomically (temporary file, then move).
 */
public final class FileCheckpoint {
    private final Path location;
    private final State state;

    /**
     * The stored form.
     *
     * @param target the cluster and topics the records go to
     * @param files the state of each input file, by absolute path
     */
    public record State(String target, Map<String, FileState> files) {}

    /**
     * One file's progress.
     *
     * @param size the file's size when the replay started
     * @param modifiedMs its modification time then
     * @param records records sent
     * @param lines lines read (JSONL)
     * @param byteOffset the byte offset to resume at (JSONL)
     * @param complete whether every record of it was sent
     */
    public record FileState(
            long size,
            long modifiedMs,
            long records,
            long lines,
            long byteOffset,
            boolean complete) {
        RecordReader.Position position() {
            return new RecordReader.Position(records, lines, byteOffset);
        }
    }

    private FileCheckpoint(Path location, State state) {
        this.location = location;
        this.state = state;
    }

    /**
     * Loads the checkpoint at {@code location}, or starts an empty one.
     *
     * @throws ReplayException when it belongs to a replay to another target
     */
    public static FileCheckpoint load(Path location, String target) {
        if (!Files.exists(location)) {
            return new FileCheckpoint(location, new State(target, new LinkedHashMap<>()));
        }
        State stored = Json.read(location, State.class);
        if (!target.equals(stored.target())) {
            throw new ReplayException(
                    "checkpoint "
                            + location
                            + " belongs to a replay to "
                            + stored.target()
                            + ", not "
                            + target
                            + "; use another --work-dir");
        }
        return new FileCheckpoint(location, new State(target, new LinkedHashMap<>(stored.files())));
    }

    /**
     * The position to resume {@code file} at.
     *
     * @throws ReplayException when the file changed since it was checkpointed
     */
    public RecordReader.Position positionOf(Path file) {
        FileState known = state.files().get(key(file));
        if (known == null) {
            return RecordReader.Position.START;
        }
        FileState now = stat(file);
        if (now.size() != known.size() || now.modifiedMs() != known.modifiedMs()) {
            throw new ReplayException(
                    "input file "
                            + file
                            + " changed since it was checkpointed in "
                            + location
                            + " (size "
                            + known.size()
                            + " -> "
                            + now.size()
                            + "); use another --work-dir to replay it anew");
        }
        return known.position();
    }

    /** Whether every record of {@code file} was sent. */
    public boolean isComplete(Path file) {
        FileState known = state.files().get(key(file));
        return known != null && known.complete();
    }

    /** Records {@code position} for {@code file}; {@link #save()} makes it durable. */
    public void advance(Path file, RecordReader.Position position, boolean complete) {
        FileState stat = stat(file);
        state.files()
                .put(
                        key(file),
                        new FileState(
                                stat.size(),
                                stat.modifiedMs(),
                                position.records(),
                                position.lines(),
                                position.byteOffset(),
                                complete));
    }

    /** Writes the checkpoint atomically. */
    public void save() {
        Json.writeAtomically(location, state);
    }

    private static String key(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }

    private static FileState stat(Path file) {
        try {
            return new FileState(
                    Files.size(file), Files.getLastModifiedTime(file).toMillis(), 0, 0, 0, false);
        } catch (IOException e) {
            throw new ReplayException("cannot read input file " + file + ": " + e.getMessage(), e);
        }
    }
}
