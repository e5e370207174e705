package io.forwardloop.datasets;

import java.nio.file.Path;

/** A fetched archive does not have its pinned SHA-256; nothing from it was used or cached. */
public class ChecksumMismatchException extends DatasetFetchException {

    private final transient Path archive;
    private final String expectedSha256;
    private final String actualSha256;

    /** {@code archive} hashed to {@code actualSha256} instead of {@code expectedSha256}. */
    public ChecksumMismatchException(Path archive, String expectedSha256, String actualSha256) {
        super(
                "archive "
                        + archive
                        + " has SHA-256 "
                        + actualSha256
                        + " but "
                        + expectedSha256
                        + " is pinned; it was not used. The package may have been altered or"
                        + " replaced: fetch it again, and if the hash stays wrong, do not trust"
                        + " it");
        this.archive = archive;
        this.expectedSha256 = expectedSha256;
        this.actualSha256 = actualSha256;
    }

    /** The archive that failed verification. */
    public Path archive() {
        return archive;
    }

    /** The pinned hash, lower-case hex. */
    public String expectedSha256() {
        return expectedSha256;
    }

    /** The hash of the archive as fetched, lower-case hex. */
    public String actualSha256() {
        return actualSha256;
    }
}
