package io.forwardloop.trainer;

import io.forwardloop.ingest.encoder.Encoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activations of a data file's texts, computed once per (file content, encoder, maximum length).
 *
 * <p>The cache key is the SHA-256 of the data file's bytes, the encoder id and the maximum sequence
 * length, so an edited file or another encoder never reads stale activations. Entries are written
 * to a temporary file and moved into place, so a crash leaves no half-written entry.
 */
public final class EmbeddingCache {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingCache.class);
    private static final int MAGIC = 0x464c454d; // "FLEM"
    private static final int BATCH = 32;

    private final Path directory;

    /** A cache rooted at {@code directory}, created on first write. */
    public EmbeddingCache(Path directory) {
        this.directory = directory;
    }

    /** The SHA-256 of a file's bytes, lower-case hex. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data file " + file, e);
        }
    }

    /**
     * The activations of {@code texts}, read from the cache or computed with {@code encoder}.
     *
     * @param fileSha256 the content hash of the file the texts come from, in file order
     * @param progress called with the number of texts embedded so far while computing
     */
    public float[][] activations(
            String fileSha256, List<String> texts, Encoder encoder, IntConsumer progress) {
        Path entry = entry(fileSha256, encoder.id().id(), encoder.maxSequenceLength());
        return activations(entry, texts, encoder, progress);
    }

    /**
     * Like {@link #activations(String, List, Encoder, IntConsumer)} for a known entry; {@code
     * encoder} may be null when the entry exists.
     */
    public float[][] activations(
            Path entry, List<String> texts, Encoder encoder, IntConsumer progress) {
        if (Files.exists(entry)) {
            float[][] cached = read(entry);
            if (cached.length == texts.size()) {
                LOG.info("Read {} activations from {}", cached.length, entry);
                return cached;
            }
            LOG.warn(
                    "Cache entry {} holds {} rows for {} texts; recomputing",
                    entry,
                    cached.length,
                    texts.size());
        }
        float[][] computed = embed(texts, encoder, progress);
        write(entry, computed);
        return computed;
    }

    /** The file of one cache entry. */
    public Path entry(String fileSha256, String encoderId, int maxSequenceLength) {
        return directory.resolve(fileSha256 + "-" + encoderId + "-" + maxSequenceLength + ".bin");
    }

    private static float[][] embed(List<String> texts, Encoder encoder, IntConsumer progress) {
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += BATCH) {
            int end = Math.min(texts.size(), start + BATCH);
            float[][] batch = encoder.embed(texts.subList(start, end));
            System.arraycopy(batch, 0, out, start, batch.length);
            progress.accept(end);
        }
        return out;
    }

    private static float[][] read(Path entry) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(entry))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not an activation cache entry");
            }
            float[][] rows = new float[in.readInt()][in.readInt()];
            for (float[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = in.readFloat();
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read activation cache entry " + entry + "; delete it to recompute", e);
        }
    }

    private void write(Path entry, float[][] rows) {
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, "activations", ".tmp");
            try (DataOutputStream out =
                    new DataOutputStream(
                            new java.io.BufferedOutputStream(Files.newOutputStream(temporary)))) {
                out.writeInt(MAGIC);
                out.writeInt(rows.length);
                out.writeInt(rows.length == 0 ? 0 : rows[0].length);
                for (float[] row : rows) {
                    for (float value : row) {
                        out.writeFloat(value);
                    }
                }
            }
            Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Cached {} activations in {}", rows.length, entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write activation cache entry " + entry, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
