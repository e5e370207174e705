package io.forwardloop.ingest.logging;

import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.InferenceRecord;

/**
 * Where the gateway sends what it served and what users said about it, off the request path.
 *
 * <p>Both methods return at once; a record that cannot be buffered is dropped and counted, never
 * waited for.
 */
public interface RecordLog extends AutoCloseable {

    /** Queues an inference record, keyed by its request id. */
    void inference(InferenceRecord record);

    /** Queues a feedback record, keyed by its request id. */
    void feedback(Feedback feedback);

    /** The state of the log, for the readiness endpoint. */
    Status status();

    /** Sends what is buffered, within a bound, then stops. */
    @Override
    void close();

    /** Whether records are flowing, and how many wait or were dropped. */
    record Status(State state, long buffered, long sent, long dropped) {}

    /** The state of the connection to the log. */
    enum State {
        /** No Kafka is configured: records are not logged. */
        DISABLED,
        /** Nothing sent yet. */
        STARTING,
        /** The last send succeeded. */
        CONNECTED,
        /**
         * The last send failed, or records sent have waited 10 s without an acknowledgement;
         * records are buffered within the bound.
         */
        UNAVAILABLE
    }

    /** A log that keeps nothing, for a gateway without Kafka. */
    static RecordLog disabled() {
        return new RecordLog() {
            @Override
            public void inference(InferenceRecord record) {}

            @Override
            public void feedback(Feedback feedback) {}

            @Override
            public Status status() {
                return new Status(State.DISABLED, 0, 0, 0);
            }

            @Override
            public void close() {}
        };
    }
}
