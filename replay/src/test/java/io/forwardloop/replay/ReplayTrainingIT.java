package io.forwardloop.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training from files: the signal job in batch mode, then the trainer; deterministic. */
class ReplayTrainingIT {
    private static final int N = 120;

    @TempDir Path dir;

    @Test
    void shouldTrainTheSameAdapterTwiceAndChangeNothingOnARepeatedRun() throws Exception {
        Path records = History.jsonl(dir.resolve("records.jsonl"), History.records(N));
        Path feedback = History.jsonl(dir.resolve("feedback.jsonl"), History.feedbackOf(N));

        History.Run first = train(records, feedback, dir.resolve("a"));
        History.Run second = train(records, feedback, dir.resolve("b"));
        long reportModified = Files.getLastModifiedTime(report(dir.resolve("a"))).toMillis();
        History.Run repeated = train(records, feedback, dir.resolve("a"));

        String digest = digestOf(first.out());
        assertThat(digest).hasSize(64);
        assertThat(digestOf(second.out())).isEqualTo(digest);
        assertThat(repeated.out()).startsWith("Already trained:").contains(digest);
        assertThat(Files.getLastModifiedTime(report(dir.resolve("a"))).toMillis())
                .isEqualTo(reportModified);
        assertThat(dir.resolve("a/train/sentiment.onnx_adapter")).isNotEmptyFile();
        assertThat(Files.readString(report(dir.resolve("a"))))
                .contains("\"adapter_sha256\" : \"" + digest + "\"")
                .contains("\"signals-out\"");
    }

    @Test
    void shouldRefuseAWorkDirOfOtherInputs() throws Exception {
        Path records = History.jsonl(dir.resolve("records.jsonl"), History.records(N));
        Path feedback = History.jsonl(dir.resolve("feedback.jsonl"), History.feedbackOf(N));
        train(records, feedback, dir.resolve("w"));
        Path fewer = History.jsonl(dir.resolve("fewer.jsonl"), History.feedbackOf(N / 2));

        History.Run run =
                History.run(
                        "--mode",
                        "train",
                        "--quiet",
                        "--rounds",
                        "1",
                        "--records",
                        records.toString(),
                        "--feedback",
                        fewer.toString(),
                        "--work-dir",
                        dir.resolve("w").toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("holds a training replay of other inputs or settings");
    }

    private static History.Run train(Path records, Path feedback, Path work) {
        History.Run run =
                History.run(
                        "--mode",
                        "train",
                        "--quiet",
                        "--rounds",
                        "1",
                        "--set",
                        "signal.batch.size=8",
                        "--records",
                        records.toString(),
                        "--feedback",
                        feedback.toString(),
                        "--work-dir",
                        work.toString());
        assertThat(run.code()).as(run.err()).isZero();
        return run;
    }

    private static Path report(Path work) {
        return work.resolve("train/report.json");
    }

    private static String digestOf(String out) {
        int at = out.indexOf("sha256 ") + "sha256 ".length();
        return out.substring(at, at + 64);
    }
}
