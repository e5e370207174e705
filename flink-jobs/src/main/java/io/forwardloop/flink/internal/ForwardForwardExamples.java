package io.forwardloop.flink.internal;

import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.ForwardForwardNetwork;
import io.forwardloop.schemas.avro.ExampleReason;
import io.forwardloop.schemas.avro.ForwardForwardExample;
import io.forwardloop.schemas.avro.LabeledExample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Forward-Forward examples (Hinton 2022) of a labeled example: a positive with the true label and a
 * negative with a wrong one.
 *
 * <p>The negative is the label the user rejected when there is one; otherwise the hardest negative
 * of the adapter's Forward-Forward replica (the wrong label with the highest goodness) when a
 * replica of that kind is held; otherwise a wrong label chosen by a hash of the request id.
 */
public final class ForwardForwardExamples {
    private ForwardForwardExamples() {}

    /** The examples of {@code example}; none when neither a true nor a rejected label is known. */
    public static List<ForwardForwardExample> of(
            LabeledExample example, Optional<AdapterReplicas.Replica> replica, Instant created) {
        List<ForwardForwardExample> examples = new ArrayList<>(2);
        String label = example.getLabel();
        if (label != null) {
            examples.add(build(example, label, true, ExampleReason.TRUE_LABEL, created));
        }
        if (example.getRejectedLabel() != null) {
            examples.add(
                    build(
                            example,
                            example.getRejectedLabel(),
                            false,
                            ExampleReason.REJECTED_LABEL,
                            created));
        } else if (label != null && example.getLabels().size() >= 2) {
            examples.add(negative(example, label, replica, created));
        }
        return examples;
    }

    private static ForwardForwardExample negative(
            LabeledExample example,
            String label,
            Optional<AdapterReplicas.Replica> replica,
            Instant created) {
        Optional<String> hardest = replica.flatMap(r -> hardestNegative(r, example, label));
        if (hardest.isPresent()) {
            return build(example, hardest.get(), false, ExampleReason.HARD_NEGATIVE, created);
        }
        List<String> wrong = new ArrayList<>(example.getLabels());
        wrong.remove(label);
        String chosen = wrong.get(Hashing.choice(example.getRequestId(), wrong.size()));
        return build(example, chosen, false, ExampleReason.RANDOM_NEGATIVE, created);
    }

    private static Optional<String> hardestNegative(
            AdapterReplicas.Replica replica, LabeledExample example, String label) {
        var spec = replica.parameters().spec();
        int index = spec.labels().indexOf(label);
        float[] activation = Activations.toArray(example.getActivation());
        if (spec.kind() != AdapterKind.FORWARD_FORWARD
                || index < 0
                || activation.length != spec.inputDim()) {
            return Optional.empty();
        }
        ForwardForwardNetwork network = new ForwardForwardNetwork(replica.parameters());
        return Optional.of(spec.labels().get(network.hardestNegative(activation, index)));
    }

    private static ForwardForwardExample build(
            LabeledExample example,
            String label,
            boolean positive,
            ExampleReason reason,
            Instant created) {
        return ForwardForwardExample.newBuilder()
                .setRequestId(example.getRequestId())
                .setAdapterName(example.getAdapterName())
                .setEncoderId(example.getEncoderId())
                .setBoundary(example.getBoundary())
                .setActivation(example.getActivation())
                .setLabel(label)
                .setPositive(positive)
                .setReason(reason)
                .setCreatedMs(created)
                .build();
    }
}
