package io.forwardloop.ingest.adapters.internal;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Turns artifact bytes into verified parameters and the ONNX Runtime adapter file to load: an
 * {@code .onnx_adapter} file is checked against the given spec; serialised parameters ({@code
 * FLAP}) carry their spec and are re-encoded as an adapter file.
 */
public final class ArtifactDecoder {
    private static final byte[] PARAMETERS_MAGIC = "FLAP".getBytes(StandardCharsets.US_ASCII);

    private ArtifactDecoder() {}

    /** Verified parameters and the adapter file bytes ONNX Runtime loads. */
    public record Decoded(AdapterParameters parameters, byte[] onnxAdapter) {
        public AdapterSpec spec() {
            return parameters.spec();
        }
    }

    /**
     * Decodes and verifies {@code bytes}: format, tensor names and shapes, finiteness.
     *
     * @throws IllegalArgumentException when an adapter file comes without a spec
     * @throws io.forwardloop.adapter.AdapterException naming the first problem found
     */
    public static Decoded decode(byte[] bytes, AdapterSpec spec, long version) {
        if (isParameters(bytes)) {
            AdapterParameters parameters = AdapterParameters.fromBytes(bytes);
            byte[] file = OnnxAdapterFile.toBytes(parameters, (int) version, 1);
            return new Decoded(OnnxAdapterFile.verify(file, parameters.spec()), file);
        }
        if (spec == null) {
            throw new IllegalArgumentException(
                    "an .onnx_adapter artifact needs its spec (kind, labels, rank); give it in the"
                            + " adapter's metadata");
        }
        return new Decoded(OnnxAdapterFile.verify(bytes, spec), bytes);
    }

    /** Whether {@code bytes} are serialised parameters rather than an adapter file. */
    public static boolean isParameters(byte[] bytes) {
        return bytes.length >= 4
                && Arrays.equals(bytes, 0, 4, PARAMETERS_MAGIC, 0, PARAMETERS_MAGIC.length);
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
