package io.forwardloop.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
                .contains("\"adapter_sha256\" : \"" + digest + "\"");
    }

    @Test
    void shouldApplyTheSignalsOfEveryRoundAndMoveTheAdapterFromItsBase() throws Exception {
        Path records = History.jsonl(dir.resolve("records.jsonl"), History.records(N));
        Path feedback = History.jsonl(dir.resolve("feedback.jsonl"), History.feedbackOf(N));

        ReplayTraining.Result result =
                new ReplayTraining(settings(records, feedback, dir.resolve("t"), 2))
                        .run(ReplayProgress.NONE);

        Map<String, Object> report = result.report();
        AdapterParameters base =
                AdapterParameters.initialize(
                        AdapterSpec.lowRankClassifier(History.DIM, 1, History.LABELS).build(), 42L);
        assertThat(report.get("base_sha256")).isEqualTo(base.digest());
        assertThat(result.adapterDigest()).isNotEqualTo(base.digest());
        List<Map<String, Object>> rounds = rounds(report);
        assertThat(rounds).hasSize(2);
        for (Map<String, Object> round : rounds) {
            assertThat(((Number) round.get("signals")).longValue()).isPositive();
            assertThat(((Number) round.get("applied")).longValue()).isPositive();
        }
        assertThat(((Number) report.get("version")).longValue()).isPositive();
    }

    @Test
    void shouldCountProgressInRecordsReadOverAllRounds() throws Exception {
        Path records = History.jsonl(dir.resolve("records.jsonl"), History.records(N));
        Path feedback = History.jsonl(dir.resolve("feedback.jsonl"), History.feedbackOf(N));
        Recording progress = new Recording();

        new ReplayTraining(settings(records, feedback, dir.resolve("p"), 2)).run(progress);

        assertThat(progress.total).isEqualTo(2L * N);
        assertThat(progress.start).isZero();
        assertThat(progress.done).isNotEmpty().isSorted().contains((long) N).endsWith(2L * N);
    }

    @Test
    void shouldResumeAfterTheLastFinishedRoundAndTrainTheSameAdapter() throws Exception {
        Path records = History.jsonl(dir.resolve("records.jsonl"), History.records(N));
        Path feedback = History.jsonl(dir.resolve("feedback.jsonl"), History.feedbackOf(N));
        String uninterrupted =
                new ReplayTraining(settings(records, feedback, dir.resolve("whole"), 2))
                        .run(ReplayProgress.NONE)
                        .adapterDigest();

        // the process dies in round 2, after round 1 was checkpointed
        Path work = dir.resolve("cut");
        ReplayProgress crash =
                new ReplayProgress() {
                    @Override
                    public void advanced(long done) {
                        if (done > N) {
                            throw new IllegalStateException("killed in round 2");
                        }
                    }
                };
        assertThatThrownBy(
                        () -> new ReplayTraining(settings(records, feedback, work, 2)).run(crash))
                .hasMessageContaining("killed in round 2");
        Path roundOne = work.resolve("train/round-1/adapter.bin");
        long roundOneWritten = Files.getLastModifiedTime(roundOne).toMillis();
        assertThat(work.resolve("train/report.json")).doesNotExist();

        Recording resumed = new Recording();
        ReplayTraining.Result result =
                new ReplayTraining(settings(records, feedback, work, 2)).run(resumed);

        assertThat(resumed.start).isEqualTo(N);
        assertThat(result.alreadyComplete()).isFalse();
        assertThat(result.adapterDigest()).isEqualTo(uninterrupted);
        assertThat(Files.getLastModifiedTime(roundOne).toMillis()).isEqualTo(roundOneWritten);
        assertThat(rounds(result.report())).hasSize(2);
    }

    private static ReplayTraining.Settings settings(
            Path records, Path feedback, Path work, int rounds) {
        return new ReplayTraining.Settings(
                List.of(records),
                List.of(feedback),
                List.of(),
                work,
                42L,
                rounds,
                1,
                0,
                Map.of("signal.batch.size", "8"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rounds(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("rounds");
    }

    /** Keeps what a progress listener is told. */
    private static final class Recording implements ReplayProgress {
        long total = -1;
        long start = -1;
        final List<Long> done = new ArrayList<>();

        @Override
        public void started(long total, long done) {
            this.total = total;
            this.start = done;
        }

        @Override
        public void advanced(long done) {
            this.done.add(done);
        }
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
