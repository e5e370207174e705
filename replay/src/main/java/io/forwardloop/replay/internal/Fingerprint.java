package io.forwardloop.replay.internal;

import io.forwardloop.replay.ReplayException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A SHA-256 over the contents of input files and settings, to recognise the same replay. */
public final class Fingerprint {
    private final MessageDigest digest;

    public Fingerprint() {
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Adds a labelled value. */
    public Fingerprint add(String label, Object value) {
        digest.update((label + "=" + value + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Adds the contents of {@code file} under {@code label}; its path does not count. */
    public Fingerprint addFile(String label, Path file) {
        add(label, "file");
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new ReplayException("cannot read input file " + file + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** The hex digest. */
    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
