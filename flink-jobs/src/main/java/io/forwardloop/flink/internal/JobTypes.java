package io.forwardloop.flink.internal;

import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.DeadLetter;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.ForwardForwardExample;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.LabeledExample;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** Flink type information and side outputs of the signal job's records. */
public final class JobTypes {
    public static final TypeInformation<InferenceRecord> INFERENCE_RECORD =
            new AvroTypeInfo<>(InferenceRecord.class);
    public static final TypeInformation<Feedback> FEEDBACK = new AvroTypeInfo<>(Feedback.class);
    public static final TypeInformation<LabeledExample> LABELED_EXAMPLE =
            new AvroTypeInfo<>(LabeledExample.class);
    public static final TypeInformation<AdapterStep> ADAPTER_STEP =
            new AvroTypeInfo<>(AdapterStep.class);
    public static final TypeInformation<ZeroOrderSignal> ZERO_ORDER_SIGNAL =
            new AvroTypeInfo<>(ZeroOrderSignal.class);
    public static final TypeInformation<ForwardForwardExample> FF_EXAMPLE =
            new AvroTypeInfo<>(ForwardForwardExample.class);
    public static final TypeInformation<DeadLetter> DEAD_LETTER =
            new AvroTypeInfo<>(DeadLetter.class);
    public static final TypeInformation<String> STRING = Types.STRING;

    /** Held-out labeled examples, a side output of the join. */
    public static final OutputTag<LabeledExample> HOLDOUT =
            new OutputTag<>("holdout", LABELED_EXAMPLE);

    /** Refused feedback, a side output of the join. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", DEAD_LETTER);

    /** Forward-Forward examples, a side output of the signal operator. */
    public static final OutputTag<ForwardForwardExample> FF_EXAMPLES =
            new OutputTag<>("ff-examples", FF_EXAMPLE);

    private JobTypes() {}
}
