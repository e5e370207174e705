package io.forwardloop.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad inputs give clear errors before anything is sent. */
class ReplayCommandTest {
    private static final String[] NOWHERE = {
        "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", "http://127.0.0.1:1"
    };

    @TempDir Path dir;

    @Test
    void shouldRejectAnUnknownMode() {
        History.Run run = History.run("--mode", "rewind", "--records", "r.jsonl");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("unknown --mode 'rewind'; use republish or train");
    }

    @Test
    void shouldNameAMissingInputFile() {
        Path missing = dir.resolve("missing.jsonl");

        History.Run run =
                History.run(
                        concat(
                                "--mode",
                                "republish",
                                "--quiet",
                                "--records",
                                missing.toString(),
                                "--work-dir",
                                dir.resolve("work").toString()));

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("input file " + missing + " does not exist");
    }

    @Test
    void shouldNameTheFileAndLineOfAMalformedRecord() throws Exception {
        Path records = History.jsonl(dir.resolve("records.jsonl"), History.records(3));
        Files.writeString(records, Files.readString(records).replaceFirst("\n.*\n", "\n{oops\n"));

        History.Run run =
                History.run(
                        concat(
                                "--mode",
                                "republish",
                                "--quiet",
                                "--records",
                                records.toString(),
                                "--work-dir",
                                dir.resolve("work").toString()));

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err())
                .contains("malformed InferenceRecord in " + records + " at line 2")
                .contains("fix or remove that line");
    }

    @Test
    void shouldRequireATimeRangeForKafkaInput() {
        History.Run run = History.run(concat("--mode", "train", "--from-kafka", "--start", "x"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--from-kafka needs --start and --end");
    }

    @Test
    void shouldRejectARangeThatIsNotAnInstant() {
        History.Run run =
                History.run(
                        concat(
                                "--mode",
                                "republish",
                                "--from-kafka",
                                "--start",
                                "yesterday",
                                "--end",
                                "2026-12-02T00:00:00Z"));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--start 'yesterday' is not an ISO-8601 instant");
    }

    private static String[] concat(String... args) {
        String[] all = new String[args.length + NOWHERE.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(NOWHERE, 0, all, args.length, NOWHERE.length);
        return all;
    }
}
