package io.forwardloop.schemas;

import io.forwardloop.schemas.avro.AdapterEvent;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.ForwardForwardExample;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.LabeledExample;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics of the loop, each declared once.
 *
 * <p>Inference records and feedback are keyed by request id and have the same partition count, so
 * the signal job can join them co-partitioned. Adapter topics are keyed by adapter name ({@code
 * adapter-events} by {@code adapter/alias}), so each adapter's history stays in order.
 */
public final class Topics {

    /** Partitions of the per-request topics; equal so that records and feedback co-partition. */
    public static final int REQUEST_PARTITIONS = 6;

    /** Inference records as gateways write them, before validation; keyed by request id. */
    public static final Topic<String, InferenceRecord> RAW_INFERENCE_RECORDS =
            string("raw-inference-records", InferenceRecord.class, REQUEST_PARTITIONS);

    /** Feedback as the API writes it, before validation; keyed by request id. */
    public static final Topic<String, Feedback> RAW_FEEDBACK =
            string("raw-feedback", Feedback.class, REQUEST_PARTITIONS);

    /** Validated, deduplicated inference records; keyed by request id. */
    public static final Topic<String, InferenceRecord> INFERENCE_RECORDS =
            string("inference-records", InferenceRecord.class, REQUEST_PARTITIONS);

    /** Validated, deduplicated feedback; keyed by request id. */
    public static final Topic<String, Feedback> FEEDBACK =
            string("feedback", Feedback.class, REQUEST_PARTITIONS);

    /** Labeled examples held out for evaluation; keyed by request id. */
    public static final Topic<String, LabeledExample> HOLDOUT =
            string("holdout", LabeledExample.class, REQUEST_PARTITIONS);

    /** Zeroth-order perturbation pairs; keyed by adapter name. */
    public static final Topic<String, ZeroOrderSignal> ZO_SIGNALS =
            string("zo-signals", ZeroOrderSignal.class, 3);

    /** Forward-Forward positive and negative examples; keyed by adapter name. */
    public static final Topic<String, ForwardForwardExample> FF_EXAMPLES =
            string("ff-examples", ForwardForwardExample.class, 3);

    /**
     * The trainer's step log; keyed by adapter name and kept forever: it is the event log adapters
     * are rebuilt from.
     */
    public static final Topic<String, AdapterStep> ADAPTER_STEPS =
            new Topic<>(
                    "adapter-steps",
                    Serdes.String(),
                    AdapterStep.class,
                    CleanupPolicy.DELETE,
                    3,
                    Map.of("retention.ms", "-1", "retention.bytes", "-1"));

    /** Alias moves in the model registry (promoted, rolled back); keyed by adapter/alias. */
    public static final Topic<String, AdapterEvent> ADAPTER_EVENTS =
            new Topic<>(
                    "adapter-events",
                    Serdes.String(),
                    AdapterEvent.class,
                    CleanupPolicy.COMPACT,
                    3,
                    Map.of());

    /** Records a component refused, with the reason; keyed like the refused record. */
    public static final Topic<String, DeadLetter> DEAD_LETTERS =
            string("dead-letters", DeadLetter.class, 1);

    private static final List<Topic<?, ?>> ALL =
            List.of(
                    RAW_INFERENCE_RECORDS,
                    RAW_FEEDBACK,
                    INFERENCE_RECORDS,
                    FEEDBACK,
                    HOLDOUT,
                    ZO_SIGNALS,
                    FF_EXAMPLES,
                    ADAPTER_STEPS,
                    ADAPTER_EVENTS,
                    DEAD_LETTERS);

    private Topics() {}

    /** Every topic of the loop, in the order data flows through them. */
    public static List<Topic<?, ?>> all() {
        return ALL;
    }

    /** The key of {@link #ADAPTER_EVENTS} for {@code alias} of {@code adapterName}. */
    public static String adapterAliasKey(String adapterName, String alias) {
        return adapterName + "/" + alias;
    }

    private static <V extends SpecificRecord> Topic<String, V> string(
            String name, Class<V> valueType, int partitions) {
        return new Topic<>(
                name, Serdes.String(), valueType, CleanupPolicy.DELETE, partitions, Map.of());
    }
}
