package io.forwardloop.ingest.encoder;

/** An encoder could not be loaded or could not run; the cause is the library's exception. */
public class EncoderException extends RuntimeException {
    public EncoderException(String message) {
        super(message);
    }

    public EncoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
