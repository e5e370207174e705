package io.forwardloop.adapter;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/**
 * ONNX graphs that compute an adapter's function in ONNX Runtime, built with the ONNX protobuf
 * classes.
 *
 * <p>The trainable tensors are pure graph inputs, with no initializers: an adapter file ({@link
 * OnnxAdapterFile}) supplies them per run through {@code RunOptions.addActiveLoraAdapter}, so one
 * session serves any number of adapters. The batch dimension is symbolic ({@value #BATCH}).
 *
 * <p>A graph depends on the adapter's shape only (kind, widths, rank, scales, label count), never
 * on label names: those belong to whoever maps score columns to labels. Two specs that differ only
 * in label names give byte-identical models, so they can share one ONNX Runtime session.
 */
public final class AdapterGraphs {
    /** Input: the recycled activation, float [batch, inputDim]. */
    public static final String ACTIVATION = "activation";

    /** Output of the low-rank classifier: float [batch, labels]. */
    public static final String LOGITS = "logits";

    /** Output of the low-rank classifier: softmax of the logits, float [batch, labels]. */
    public static final String PROBABILITIES = "probabilities";

    /** Output of the Forward-Forward graph: total goodness per label, float [batch, labels]. */
    public static final String GOODNESS = "goodness";

    /** Name of the symbolic batch dimension. */
    public static final String BATCH = "batch";

    /** The default ONNX operator set the graphs use. */
    public static final int OPSET = 17;

    /** The ONNX IR version written into the models. */
    public static final int IR_VERSION = 8;

    private AdapterGraphs() {}

    /**
     * The low-rank classifier: logits = Gemm(h + s * Gemm(Gemm(h, lora_down^T), lora_up^T),
     * classifier_weight^T, classifier_bias), probabilities = Softmax(logits, axis 1).
     */
    public static ModelProto lowRankClassifier(AdapterSpec spec) {
        if (spec.kind() != AdapterKind.LOW_RANK_CLASSIFIER) {
            throw new IllegalArgumentException(
                    "lowRankClassifier needs a LOW_RANK_CLASSIFIER spec, got " + spec.kind());
        }
        GraphProto.Builder graph = GraphProto.newBuilder().setName("low_rank_classifier");
        graph.addInput(floatInput(ACTIVATION, BATCH, spec.inputDim()));
        for (TensorSpec tensor : spec.tensors()) {
            graph.addInput(floatTensor(tensor.name(), tensor.shape()));
        }
        graph.addNode(gemm("project_down", 1f, ACTIVATION, AdapterSpec.LORA_DOWN));
        graph.addNode(gemm("project_up", spec.loraScale(), "project_down", AdapterSpec.LORA_UP));
        graph.addNode(node("Add", "adapted", ACTIVATION, "project_up"));
        graph.addNode(
                gemm(
                        LOGITS,
                        1f,
                        "adapted",
                        AdapterSpec.CLASSIFIER_WEIGHT,
                        AdapterSpec.CLASSIFIER_BIAS));
        graph.addNode(node("Softmax", PROBABILITIES, LOGITS).addAttribute(intAttribute("axis", 1)));
        graph.addOutput(floatInput(LOGITS, BATCH, spec.labelCount()));
        graph.addOutput(floatInput(PROBABILITIES, BATCH, spec.labelCount()));
        return model(graph, spec);
    }

    /**
     * The Forward-Forward network scored for every label at once: output {@value #GOODNESS} [batch,
     * labels] is the total goodness sum_k G_k of the activation paired with each label, as {@link
     * ForwardForwardNetwork#goodnessPerLabel} computes it. Layer 0's weight is split into its
     * activation columns and its label columns, so the label variants cost one broadcast add.
     */
    public static ModelProto forwardForward(AdapterSpec spec) {
        if (spec.kind() != AdapterKind.FORWARD_FORWARD) {
            throw new IllegalArgumentException(
                    "forwardForward needs a FORWARD_FORWARD spec, got " + spec.kind());
        }
        GraphProto.Builder graph = GraphProto.newBuilder().setName("forward_forward");
        graph.addInput(floatInput(ACTIVATION, BATCH, spec.inputDim()));
        for (TensorSpec tensor : spec.tensors()) {
            graph.addInput(floatTensor(tensor.name(), tensor.shape()));
        }
        ForwardForwardGraph.addLayers(graph, spec);
        graph.addOutput(floatInput(GOODNESS, BATCH, spec.labelCount()));
        return model(graph, spec);
    }

    static ModelProto model(GraphProto.Builder graph, AdapterSpec spec) {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("forwardloop-adapter-core")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(OPSET))
                .addMetadataProps(metadata("forwardloop.adapter.kind", spec.kind().name()))
                .setGraph(graph)
                .build();
    }

    /** A Gemm node with transB = 1, named after its output. */
    static NodeProto.Builder gemm(String output, float alpha, String... inputs) {
        return node("Gemm", output, inputs)
                .addAttribute(intAttribute("transB", 1))
                .addAttribute(
                        AttributeProto.newBuilder()
                                .setName("alpha")
                                .setType(AttributeProto.AttributeType.FLOAT)
                                .setF(alpha));
    }

    /** A node of {@code op} named after its single output. */
    static NodeProto.Builder node(String op, String output, String... inputs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        return node.addOutput(output);
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    /** A float value info whose first dimension is the symbolic batch. */
    static ValueInfoProto floatInput(String name, String batch, int width) {
        TensorShapeProto shape =
                TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                        .build();
        return valueInfo(name, shape);
    }

    static ValueInfoProto floatTensor(String name, int[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int dim : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        return valueInfo(name, shape.build());
    }

    private static ValueInfoProto valueInfo(String name, TensorShapeProto shape) {
        TypeProto.Tensor tensor =
                TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)
                        .build();
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }

    private static OnnxMl.StringStringEntryProto metadata(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
