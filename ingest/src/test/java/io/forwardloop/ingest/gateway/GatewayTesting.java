package io.forwardloop.ingest.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.Perturbation;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.encoder.EncoderException;
import io.forwardloop.ingest.encoder.EncoderId;
import io.forwardloop.ingest.encoder.Encoders;
import io.forwardloop.ingest.logging.RecordLog;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.InferenceRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the gateway tests: one encoder per JVM, HTTP calls, a capturing log. */
public final class GatewayTesting {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Encoder encoder;

    private GatewayTesting() {}

    /** The encoder the tests share: all-MiniLM-L6-v2 int8, loaded once per JVM. */
    public static synchronized Encoder encoder() {
        if (encoder == null) {
            encoder = Encoders.create(EncoderId.MINILM_Q);
        }
        return encoder;
    }

    /** An HTTP answer: status and parsed JSON body. */
    public record Answer(int status, JsonNode body, String raw) {}

    public static Answer post(String url, String contentType, String body) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return send(request);
    }

    public static Answer postJson(String url, Object body) {
        try {
            return post(url, "application/json", JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Answer get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response =
                    HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException e) {
                body = null;
            }
            return new Answer(response.statusCode(), body, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Parameters with every tensor filled, scaled so that logits are of order 1. */
    public static AdapterParameters trained(AdapterSpec spec, long seed) {
        AdapterParameters params = AdapterParameters.initialize(spec, seed);
        for (int t = 0; t < params.tensorCount(); t++) {
            float[] values = params.data(t);
            Perturbation.fill(seed + 100, t, values);
            int fanIn = params.tensorSpec(t).rank() == 2 ? params.tensorSpec(t).dim(1) : 16;
            float gain = (float) (1.0 / Math.sqrt(fanIn));
            for (int i = 0; i < values.length; i++) {
                values[i] *= gain;
            }
        }
        return params;
    }

    /**
     * The shared encoder behind a gate: while the gate is shut, every call waits in {@link #embed};
     * a call whose texts include the poison text fails. Records the size of every call.
     */
    public static final class ControlledEncoder implements Encoder {
        public static final String POISON = "this text makes the encoder fail";

        public final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        private final Encoder delegate = encoder();
        private final Semaphore entered = new Semaphore(0);
        private volatile CountDownLatch gate = new CountDownLatch(0);

        /** Makes later calls wait until {@link #open()}. */
        public void shut() {
            gate = new CountDownLatch(1);
        }

        /** Lets waiting and later calls through. */
        public void open() {
            gate.countDown();
        }

        /** Waits until a call has entered {@link #embed}. */
        public void awaitCall() throws InterruptedException {
            if (!entered.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no call reached the encoder within 30 s");
            }
        }

        @Override
        public float[][] embed(List<String> texts) {
            batchSizes.add(texts.size());
            entered.release();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EncoderException("interrupted at the gate");
            }
            if (texts.contains(POISON)) {
                throw new EncoderException("the model failed on a batch with the poison text");
            }
            return delegate.embed(texts);
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }

        @Override
        public EncoderId id() {
            return delegate.id();
        }

        @Override
        public int maxSequenceLength() {
            return delegate.maxSequenceLength();
        }

        @Override
        public void close() {}
    }

    /** A record log that keeps everything in memory. */
    public static final class CapturingLog implements RecordLog {
        public final List<InferenceRecord> inference = new CopyOnWriteArrayList<>();
        public final List<Feedback> feedback = new CopyOnWriteArrayList<>();

        @Override
        public void inference(InferenceRecord record) {
            inference.add(record);
        }

        @Override
        public void feedback(Feedback f) {
            feedback.add(f);
        }

        @Override
        public Status status() {
            return new Status(State.CONNECTED, 0, inference.size() + feedback.size(), 0);
        }

        @Override
        public void close() {}
    }
}
