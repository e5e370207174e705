package io.forwardloop.adapter;

import static io.forwardloop.adapter.AdapterGraphs.intAttribute;
import static io.forwardloop.adapter.AdapterGraphs.node;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;

/** The nodes of the Forward-Forward goodness graph; see {@link AdapterGraphs#forwardForward}. */
final class ForwardForwardGraph {
    private ForwardForwardGraph() {}

    static void addLayers(GraphProto.Builder graph, AdapterSpec spec) {
        int d = spec.inputDim();
        int labels = spec.labelCount();
        graph.addNode(floatConstant("norm_epsilon", (float) ForwardForwardNetwork.NORM_EPSILON));
        graph.addNode(floatConstant("label_scale", spec.labelScale()));

        // x_0 = [n(h) ; s * onehot(y)], for every y at once: W_0 x_0 = W_h n(h) + s * W_y[:, y]
        normalise(graph, AdapterGraphs.ACTIVATION, "h_unit", 1);
        slice(graph, AdapterSpec.ffWeight(0), "w0_activation", 0, d);
        slice(graph, AdapterSpec.ffWeight(0), "w0_label", d, d + labels);
        graph.addNode(AdapterGraphs.gemm("h_projected", 1f, "h_unit", "w0_activation"));
        graph.addNode(intsConstant("axis_1", 1));
        graph.addNode(node("Unsqueeze", "h_projected_3d", "h_projected", "axis_1"));
        graph.addNode(node("Transpose", "w0_label_t", "w0_label"));
        graph.addNode(node("Mul", "label_projected", "w0_label_t", "label_scale"));
        graph.addNode(node("Add", "pre_0_partial", "h_projected_3d", "label_projected"));
        graph.addNode(node("Add", "pre_0", "pre_0_partial", AdapterSpec.ffBias(0)));

        String total = null;
        for (int k = 0; k < spec.hiddenSizes().size(); k++) {
            if (k > 0) {
                graph.addNode(node("Transpose", "w_t_" + k, AdapterSpec.ffWeight(k)));
                graph.addNode(node("MatMul", "pre_mm_" + k, "x_" + k, "w_t_" + k));
                graph.addNode(node("Add", "pre_" + k, "pre_mm_" + k, AdapterSpec.ffBias(k)));
            }
            graph.addNode(node("Relu", "a_" + k, "pre_" + k));
            graph.addNode(reduce("ReduceSumSquare", "goodness_" + k, "a_" + k, 2, 0));
            normalise(graph, "a_" + k, "x_" + (k + 1), 2);
            total = accumulate(graph, total, "goodness_" + k, k);
        }
        graph.addNode(node("Identity", AdapterGraphs.GOODNESS, total));
    }

    private static String accumulate(GraphProto.Builder graph, String total, String term, int k) {
        if (total == null) {
            return term;
        }
        graph.addNode(node("Add", "goodness_total_" + k, total, term));
        return "goodness_total_" + k;
    }

    /** output = input / (||input|| along axis + 1e-6). */
    private static void normalise(GraphProto.Builder graph, String input, String output, int axis) {
        graph.addNode(reduce("ReduceL2", output + "_norm", input, axis, 1));
        graph.addNode(node("Add", output + "_denominator", output + "_norm", "norm_epsilon"));
        graph.addNode(node("Div", output, input, output + "_denominator"));
    }

    private static NodeProto.Builder reduce(
            String op, String output, String input, int axis, int keepDims) {
        return node(op, output, input)
                .addAttribute(
                        AttributeProto.newBuilder()
                                .setName("axes")
                                .setType(AttributeProto.AttributeType.INTS)
                                .addInts(axis))
                .addAttribute(intAttribute("keepdims", keepDims));
    }

    /** Columns [start, end) of a 2-D input. */
    private static void slice(
            GraphProto.Builder graph, String input, String output, int start, int end) {
        graph.addNode(intsConstant(output + "_starts", start));
        graph.addNode(intsConstant(output + "_ends", end));
        graph.addNode(intsConstant(output + "_axes", 1));
        graph.addNode(
                node(
                        "Slice",
                        output,
                        input,
                        output + "_starts",
                        output + "_ends",
                        output + "_axes"));
    }

    private static NodeProto.Builder intsConstant(String output, long value) {
        return node("Constant", output)
                .addAttribute(
                        AttributeProto.newBuilder()
                                .setName("value_ints")
                                .setType(AttributeProto.AttributeType.INTS)
                                .addInts(value));
    }

    private static NodeProto.Builder floatConstant(String output, float value) {
        return node("Constant", output)
                .addAttribute(
                        AttributeProto.newBuilder()
                                .setName("value_float")
                                .setType(AttributeProto.AttributeType.FLOAT)
                                .setF(value));
    }
}
