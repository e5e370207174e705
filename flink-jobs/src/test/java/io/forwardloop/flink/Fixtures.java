package io.forwardloop.flink;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.schemas.avro.AdapterKind;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.Redaction;
import io.forwardloop.schemas.avro.StepKind;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Records, feedback and adapter steps for the signal job's tests. */
public final class Fixtures {
    public static final String ADAPTER = "sentiment";
    public static final int DIM = 8;
    public static final List<String> LABELS = List.of("negative", "positive");
    public static final long T0 = 1_700_000_000_000L;

    private Fixtures() {}

    public static AdapterSpec spec() {
        return AdapterSpec.lowRankClassifier(DIM, 2, LABELS).build();
    }

    public static AdapterParameters base() {
        return AdapterParameters.initialize(spec(), 7L);
    }

    public static InferenceRecord record(String requestId, long timestampMs) {
        Random random = new Random(requestId.hashCode());
        List<Float> activation = new ArrayList<>();
        for (int i = 0; i < DIM; i++) {
            activation.add((float) random.nextGaussian());
        }
        return InferenceRecord.newBuilder()
                .setRequestId(requestId)
                .setAdapterName(ADAPTER)
                .setAdapterVersion(1L)
                .setAdapterKind(AdapterKind.LOW_RANK_CLASSIFIER)
                .setEncoderId("test-encoder")
                .setBoundary("pooled")
                .setTimestampMs(Instant.ofEpochMilli(timestampMs))
                .setActivation(activation)
                .setPredictedLabel("positive")
                .setLabels(LABELS)
                .setScores(List.of(0.3f, 0.7f))
                .setText(null)
                .setTextSha256("0".repeat(64))
                .setRedaction(Redaction.HASH_ONLY)
                .build();
    }

    public static Feedback feedback(
            String feedbackId, String requestId, FeedbackKind kind, String label, long timestamp) {
        return Feedback.newBuilder()
                .setFeedbackId(feedbackId)
                .setRequestId(requestId)
                .setKind(kind)
                .setLabel(label)
                .setTimestampMs(Instant.ofEpochMilli(timestamp))
                .setSource("test")
                .build();
    }

    public static AdapterStep snapshot(AdapterParameters params, long version) {
        return step(version, StepKind.SNAPSHOT)
                .setSnapshot(ByteBuffer.wrap(params.toBytes()))
                .setParametersSha256(params.digest())
                .build();
    }

    public static AdapterStep zerothOrder(long version, long seed, double gradient, double lr) {
        return step(version, StepKind.ZEROTH_ORDER)
                .setSeed(seed)
                .setProjectedGradient(gradient)
                .setLearningRate(lr)
                .setEpsilon(1e-3f)
                .build();
    }

    private static AdapterStep.Builder step(long version, StepKind kind) {
        return AdapterStep.newBuilder()
                .setAdapterName(ADAPTER)
                .setVersion(version)
                .setBaseVersion(version - 1)
                .setKind(kind)
                .setLearningRate(0.0)
                .setSignalIds(List.of())
                .setTimestampMs(Instant.ofEpochMilli(T0));
    }
}
