package io.forwardloop.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtLoraAdapter;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ONNX graph fed by an adapter file computes what the Java forward function computes, within
 * 1e-5 absolute for weights of trained-adapter scale (logits of order 1): ONNX Runtime rounds each
 * intermediate to float32 where the Java side accumulates in double.
 */
class OnnxRuntimeParityTest {
    static final double TOLERANCE = 1e-5;
    private static final AdapterSpec SPEC =
            AdapterSpec.lowRankClassifier(384, 8, List.of("neg", "pos", "neutral"))
                    .loraScale(0.75f)
                    .build();

    private static OrtEnvironment environment;
    private static OrtSession session;

    @BeforeAll
    static void createSession() throws OrtException {
        environment =
                OrtEnvironment.getEnvironment(
                        OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "adapter-core-test");
        session = createSession(AdapterGraphs.lowRankClassifier(SPEC).toByteArray());
    }

    static OrtSession createSession(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            return environment.createSession(model, options);
        }
    }

    @AfterAll
    static void closeSession() throws OrtException {
        session.close();
    }

    @Test
    void shouldMatchTheJavaForwardForTwoAdaptersOnOneSession() throws OrtException {
        float[][] batch = SyntheticActivations.batch(16, SPEC.inputDim(), 7L);
        AdapterParameters first = ZerothOrderTestSupport.fanInScaled(SPEC, 1L);
        AdapterParameters second = ZerothOrderTestSupport.fanInScaled(SPEC, 2L);

        float[][] firstLogits = run(session, first, 1, batch, AdapterGraphs.LOGITS);
        float[][] secondLogits = run(session, second, 2, batch, AdapterGraphs.LOGITS);
        float[][] firstProbabilities = run(session, first, 1, batch, AdapterGraphs.PROBABILITIES);

        LowRankClassifier java = new LowRankClassifier(first);
        double logitDiff = 0;
        double probabilityDiff = 0;
        for (int n = 0; n < batch.length; n++) {
            logitDiff = Math.max(logitDiff, maxAbsDiff(java.logits(batch[n]), firstLogits[n]));
            logitDiff =
                    Math.max(
                            logitDiff,
                            maxAbsDiff(
                                    new LowRankClassifier(second).logits(batch[n]),
                                    secondLogits[n]));
            probabilityDiff =
                    Math.max(
                            probabilityDiff,
                            maxAbsDiff(java.probabilities(batch[n]), firstProbabilities[n]));
        }
        assertThat(logitDiff).isLessThan(TOLERANCE);
        assertThat(probabilityDiff).isLessThan(TOLERANCE);
        assertThat(maxAbsDiff(firstLogits[0], secondLogits[0])).isGreaterThan(0.01);
    }

    @Test
    void shouldRefuseACorruptFileInOnnxRuntimeToo() {
        byte[] bytes = OnnxAdapterFile.toBytes(ZerothOrderTestSupport.random(SPEC, 1L), 1, 1);
        bytes[5] = 'X';
        assertThatThrownBy(() -> OnnxAdapterFile.verify(bytes, SPEC))
                .hasMessageContaining("not an ONNX Runtime adapter file");
        assertThatThrownBy(() -> OrtLoraAdapter.create(bytes).close())
                .isInstanceOf(OrtException.class)
                .hasMessageContaining("lora");
    }

    @Test
    void shouldMatchForwardForwardGoodnessForEveryLabel() throws OrtException {
        AdapterSpec spec =
                AdapterSpec.forwardForward(384, List.of("neg", "pos", "neutral"), List.of(32, 16))
                        .labelScale(0.8f)
                        .build();
        AdapterParameters params = AdapterParameters.initialize(spec, 4L);
        for (int t = 1; t < params.tensorCount(); t += 2) {
            Perturbation.fill(9L, t, params.data(t));
        }
        float[][] batch = SyntheticActivations.batch(8, spec.inputDim(), 5L);
        float[][] goodness;
        try (OrtSession ff = createSession(AdapterGraphs.forwardForward(spec).toByteArray())) {
            goodness = run(ff, params, 1, batch, AdapterGraphs.GOODNESS);
        }
        ForwardForwardNetwork java = new ForwardForwardNetwork(params);
        double diff = 0;
        for (int n = 0; n < batch.length; n++) {
            double[] expected = java.goodnessPerLabel(batch[n]);
            float[] expectedFloat = new float[expected.length];
            for (int l = 0; l < expected.length; l++) {
                expectedFloat[l] = (float) expected[l];
            }
            diff = Math.max(diff, maxAbsDiff(expectedFloat, goodness[n]));
            assertThat(Math.abs(expected[0] - expected[1])).isGreaterThan(1e-3);
        }
        assertThat(diff).isLessThan(TOLERANCE);
    }

    static float[][] run(
            OrtSession session,
            AdapterParameters params,
            int version,
            float[][] batch,
            String output)
            throws OrtException {
        try (OrtLoraAdapter adapter =
                        OrtLoraAdapter.create(OnnxAdapterFile.toBytes(params, version, 1));
                OrtSession.RunOptions options = new OrtSession.RunOptions();
                OnnxTensor input = OnnxTensor.createTensor(environment, batch)) {
            options.addActiveLoraAdapter(adapter);
            try (OrtSession.Result result =
                    session.run(Map.of(AdapterGraphs.ACTIVATION, input), options)) {
                return (float[][]) result.get(output).orElseThrow().getValue();
            }
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
