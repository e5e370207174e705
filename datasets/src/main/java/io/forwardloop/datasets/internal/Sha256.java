package io.forwardloop.datasets.internal;

import io.forwardloop.datasets.ChecksumMismatchException;
import io.forwardloop.datasets.DatasetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files, in lower-case hex. */
public final class Sha256 {

    private Sha256() {}

    /** The SHA-256 of {@code file}. */
    public static String of(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new DatasetException("cannot hash " + file + ": " + e, e);
        }
    }

    /** Throws {@link ChecksumMismatchException} unless {@code file} hashes to {@code expected}. */
    public static void verify(Path file, String expected) {
        String actual = of(file);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new ChecksumMismatchException(file, expected, actual);
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
