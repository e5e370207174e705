package io.forwardloop.datasets.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.forwardloop.datasets.DatasetException;
import io.forwardloop.datasets.LabeledText;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes labeled texts as JSON Lines, replacing the target atomically. */
public final class JsonlWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonlWriter() {}

    /**
     * Writes {@code texts} to a temporary file next to {@code target}, then moves it into place in
     * one step, so readers see either the old file or the complete new one.
     */
    public static void writeAtomically(List<LabeledText> texts, Path target) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, target.getFileName() + ".", ".tmp");
            write(texts, temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DatasetException("cannot write " + target + ": " + e, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void write(List<LabeledText> texts, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (LabeledText t : texts) {
                out.write(MAPPER.writeValueAsString(toJson(t)));
                out.write('\n');
            }
        }
    }

    private static ObjectNode toJson(LabeledText t) {
        ObjectNode node = MAPPER.createObjectNode().put("text", t.text()).put("label", t.label());
        return t.hasDomain() ? node.put("domain", t.domain()) : node;
    }

    private static void deleteQuietly(Path temp) {
        try {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // the temp file is left behind; it never shadows the target
        }
    }
}
