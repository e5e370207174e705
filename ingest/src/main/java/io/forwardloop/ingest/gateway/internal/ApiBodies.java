package io.forwardloop.ingest.gateway.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The JSON request bodies of the API; unknown fields are refused. */
public final class ApiBodies {
    private ApiBodies() {}

    /** {@code POST /v1/predict}: one text or a batch of texts for one adapter. */
    public record PredictRequest(String adapter, String text, List<String> texts) {}

    /** {@code POST /v1/feedback}: what a user said about an earlier prediction. */
    public record FeedbackRequest(
            @JsonProperty("request_id") String requestId, String kind, String label) {}
}
