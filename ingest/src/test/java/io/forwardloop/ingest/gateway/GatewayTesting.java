package io.forwardloop.ingest.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.Perturbation;
import io.forwardloop.ingest.encoder.Encoder;
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
