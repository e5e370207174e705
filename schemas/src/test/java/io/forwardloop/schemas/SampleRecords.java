package io.forwardloop.schemas;

import io.forwardloop.schemas.avro.AdapterEvent;
import io.forwardloop.schemas.avro.AdapterEventType;
import io.forwardloop.schemas.avro.AdapterKind;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.ExampleReason;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.ForwardForwardExample;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.LabeledExample;
import io.forwardloop.schemas.avro.Redaction;
import io.forwardloop.schemas.avro.StepKind;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** One filled-in instance of every generated record, for round-trip tests. */
public final class SampleRecords {

    public static final Instant T = Instant.ofEpochMilli(1_760_000_000_123L);

    private SampleRecords() {}

    public static InferenceRecord inferenceRecord() {
        return InferenceRecord.newBuilder()
                .setRequestId("req-1")
                .setAdapterName("sentiment")
                .setAdapterVersion(12L)
                .setAdapterKind(AdapterKind.LOW_RANK_CLASSIFIER)
                .setEncoderId("bge-small-q")
                .setBoundary("pooled")
                .setTimestampMs(T)
                .setActivation(List.of(0.25f, -1.5f, 3.0f))
                .setPredictedLabel("positive")
                .setLabels(List.of("negative", "positive"))
                .setScores(List.of(0.1f, 0.9f))
                .setText(null)
                .setTextSha256("ab".repeat(32))
                .setRedaction(Redaction.HASH_ONLY)
                .setGatewayId("gw-0")
                .build();
    }

    public static Feedback feedback() {
        return Feedback.newBuilder()
                .setFeedbackId("fb-1")
                .setRequestId("req-1")
                .setKind(FeedbackKind.REJECT)
                .setLabel("positive")
                .setTimestampMs(T.plusSeconds(5))
                .setSource("ui")
                .build();
    }

    public static LabeledExample labeledExample() {
        return LabeledExample.newBuilder()
                .setRequestId("req-1")
                .setAdapterName("sentiment")
                .setAdapterKind(AdapterKind.FORWARD_FORWARD)
                .setEncoderId("all-minilm-l6-v2")
                .setBoundary("pooled")
                .setActivation(List.of(1f, 2f))
                .setLabel(null)
                .setRejectedLabel("positive")
                .setPredictedLabel("positive")
                .setLabels(List.of("negative", "positive"))
                .setFeedbackKind(FeedbackKind.REJECT)
                .setInferenceTimestampMs(T)
                .setFeedbackTimestampMs(T.plusSeconds(5))
                .build();
    }

    public static ZeroOrderSignal zeroOrderSignal() {
        return ZeroOrderSignal.newBuilder()
                .setSignalId("sentiment-12-42")
                .setAdapterName("sentiment")
                .setBaseVersion(12L)
                .setSeed(42L)
                .setEpsilon(1e-3f)
                .setLossPlus(0.6931)
                .setLossMinus(0.6925)
                .setBatchSize(16)
                .setBatchDigest("0f".repeat(32))
                .setCreatedMs(T)
                .setProducer("signal-job/3")
                .build();
    }

    public static ForwardForwardExample forwardForwardExample() {
        return ForwardForwardExample.newBuilder()
                .setRequestId("req-1")
                .setAdapterName("sentiment")
                .setEncoderId("bge-small-q")
                .setBoundary("pooled")
                .setActivation(List.of(0.5f))
                .setLabel("positive")
                .setPositive(false)
                .setReason(ExampleReason.REJECTED_LABEL)
                .setCreatedMs(T)
                .build();
    }

    public static AdapterStep adapterStep() {
        return AdapterStep.newBuilder()
                .setAdapterName("sentiment")
                .setVersion(13L)
                .setBaseVersion(12L)
                .setKind(StepKind.ZEROTH_ORDER)
                .setSeed(42L)
                .setProjectedGradient(0.3)
                .setLearningRate(1e-4)
                .setEpsilon(1e-3f)
                .setSignalIds(List.of("sentiment-12-42"))
                .setSnapshot(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setParametersSha256(null)
                .setTimestampMs(T)
                .build();
    }

    public static AdapterEvent adapterEvent() {
        return AdapterEvent.newBuilder()
                .setAdapterName("sentiment")
                .setAlias("production")
                .setVersion(13L)
                .setPreviousVersion(12L)
                .setArtifactSha256("cd".repeat(32))
                .setEventType(AdapterEventType.PROMOTED)
                .setArtifactUri(null)
                .setTimestampMs(T)
                .build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("raw-feedback")
                .setPartition(2)
                .setOffset(1234L)
                .setOriginalKey(ByteBuffer.wrap(new byte[] {'k'}))
                .setOriginalValue(null)
                .setReason("label 'maybe' is not in the adapter's label set")
                .setErrorClass(null)
                .setStage("ingest-validate")
                .setTimestampMs(T)
                .build();
    }

    public static List<SpecificRecord> all() {
        return List.of(
                inferenceRecord(),
                feedback(),
                labeledExample(),
                zeroOrderSignal(),
                forwardForwardExample(),
                adapterStep(),
                adapterEvent(),
                deadLetter());
    }
}
