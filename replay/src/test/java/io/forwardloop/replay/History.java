package io.forwardloop.replay;

import io.forwardloop.flink.JsonRecords;
import io.forwardloop.schemas.avro.AdapterKind;
import io.forwardloop.schemas.avro.Feedback;
import io.forwardloop.schemas.avro.FeedbackKind;
import io.forwardloop.schemas.avro.InferenceRecord;
import io.forwardloop.schemas.avro.Redaction;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import picocli.CommandLine;

/**
 * Synthetic history for the replay's tests: inference records whose true label is the sign of the
 * first activation component, and LABEL feedback giving it.
 */
final class History {
    static final String ADAPTER = "sentiment";
    static final int DIM = 8;
    static final List<String> LABELS = List.of("negative", "positive");
    static final long T0 = 1_790_000_000_000L;

    private History() {}

    static InferenceRecord record(int i) {
        Random random = new Random(i);
        List<Float> activation = new ArrayList<>();
        for (int d = 0; d < DIM; d++) {
            activation.add((float) random.nextGaussian());
        }
        return InferenceRecord.newBuilder()
                .setRequestId("req-" + i)
                .setAdapterName(ADAPTER)
                .setAdapterVersion(0L)
                .setAdapterKind(AdapterKind.LOW_RANK_CLASSIFIER)
                .setEncoderId("test-encoder")
                .setBoundary("pooled")
                .setTimestampMs(Instant.ofEpochMilli(T0 + 1000L * i))
                .setActivation(activation)
                .setPredictedLabel("positive")
                .setLabels(LABELS)
                .setScores(List.of(0.5f, 0.5f))
                .setText(null)
                .setTextSha256("0".repeat(64))
                .setRedaction(Redaction.HASH_ONLY)
                .build();
    }

    static Feedback feedback(int i) {
        String label = record(i).getActivation().get(0) > 0 ? "positive" : "negative";
        return Feedback.newBuilder()
                .setFeedbackId("fb-" + i)
                .setRequestId("req-" + i)
                .setKind(FeedbackKind.LABEL)
                .setLabel(label)
                .setTimestampMs(Instant.ofEpochMilli(T0 + 1000L * i + 500))
                .setSource("test")
                .build();
    }

    static List<InferenceRecord> records(int n) {
        return records(0, n);
    }

    static List<InferenceRecord> records(int from, int n) {
        List<InferenceRecord> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(record(i));
        }
        return out;
    }

    static List<Feedback> feedbackOf(int n) {
        List<Feedback> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(feedback(i));
        }
        return out;
    }

    static Path jsonl(Path file, List<? extends SpecificRecordBase> values) throws IOException {
        StringBuilder text = new StringBuilder();
        values.forEach(v -> text.append(JsonRecords.write(v)).append('\n'));
        Files.writeString(file, text);
        return file;
    }

    /** Runs the command; returns exit code, standard output and standard error. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ReplayCommand());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    record Run(int code, String out, String err) {}
}
