package io.forwardloop.platform;

/**
 * A failure of the platform: a broker that cannot start, a topic that cannot be created, a
 * connection that cannot be made.
 *
 * <p>The message names what failed, the value that made it fail and what to do about it; checked
 * exceptions from Kafka or the file system are kept as the cause.
 */
public class PlatformException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PlatformException(String message) {
        super(message);
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
