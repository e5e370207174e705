package io.forwardloop.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
    private static final String[] GOOD = {"great", "wonderful", "excellent", "lovely", "superb"};
    private static final String[] BAD = {"awful", "terrible", "horrible", "dreadful", "poor"};
    private static final String[] THINGS = {"film", "meal", "service", "phone", "hotel", "book"};

    @TempDir static Path dir;
    static Path data;

    /** 160 short reviews, half positive, half negative, as JSONL. */
    @BeforeAll
    static void writeData() throws Exception {
        Random random = new Random(5);
        List<String> lines = new ArrayList<>();
        for (int n = 0; n < 160; n++) {
            boolean positive = n % 2 == 0;
            String word = (positive ? GOOD : BAD)[random.nextInt(5)];
            String thing = THINGS[random.nextInt(THINGS.length)];
            String text = "The " + thing + " was " + word + ".";
            lines.add(
                    "{\"text\":\"" + text + "\",\"label\":\"" + (positive ? "pos" : "neg") + "\"}");
        }
        data = Files.write(dir.resolve("reviews.jsonl"), lines);
    }

    private static int train(String method, Path report, StringWriter out) {
        CommandLine command = new CommandLine(new TrainCommand());
        command.setOut(new PrintWriter(out, true));
        return command.execute(
                "--input",
                data.toString(),
                "--method",
                method,
                "--encoder",
                "minilm",
                "--test-fraction",
                "0.25",
                "--seed",
                "3",
                "--data-dir",
                dir.resolve("data").toString(),
                "--report",
                report.toString());
    }

    @Test
    void shouldTrainTheReferenceAndWriteTheReport() throws Exception {
        Path report = dir.resolve("bp.json");
        StringWriter out = new StringWriter();

        int exit = train("bp", report, out);

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(exit).isZero();
        assertThat(json.get("method").asText()).isEqualTo("bp");
        assertThat(json.get("encoder").asText()).isEqualTo("minilm");
        assertThat(json.get("accuracy").asDouble()).isGreaterThan(0.9);
        assertThat(json.get("train_examples").asInt()).isEqualTo(120);
        assertThat(json.get("test_examples").asInt()).isEqualTo(40);
        assertThat(json.get("steps").asLong()).isPositive();
        assertThat(json.get("seconds").asDouble()).isNotNegative();
        assertThat(json.get("labels").toString()).isEqualTo("[\"neg\",\"pos\"]");
        assertThat(out.toString()).contains("bp on reviews.jsonl with minilm: accuracy");
    }

    @Test
    void shouldTrainForwardForwardFromCachedActivations() throws Exception {
        Path report = dir.resolve("ff.json");

        int exit = train("ff", report, new StringWriter());

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(exit).isZero();
        assertThat(json.get("adapter_kind").asText()).isEqualTo("FORWARD_FORWARD");
        assertThat(json.get("accuracy").asDouble()).isGreaterThan(0.85);
        try (var entries = Files.list(dir.resolve("data").resolve("embeddings"))) {
            assertThat(entries.filter(p -> p.toString().endsWith("-minilm-256.bin"))).hasSize(1);
        }
    }

    @Test
    void shouldRejectAnUnknownMethodNamingTheChoices() {
        CommandLine command = new CommandLine(new TrainCommand());
        StringWriter err = new StringWriter();
        command.setErr(new PrintWriter(err, true));

        int exit =
                command.execute(
                        "--input", data.toString(),
                        "--method", "sgd",
                        "--report", dir.resolve("x.json").toString());

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("unknown training method 'sgd'; use zo, ff or bp");
    }

    private static int execute(StringWriter err, String... options) {
        CommandLine command = new CommandLine(new TrainCommand());
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(new StringWriter(), true));
        List<String> args = new ArrayList<>(List.of("--input", data.toString(), "--method", "zo"));
        args.addAll(List.of(options));
        return command.execute(args.toArray(String[]::new));
    }

    @Test
    void shouldRefusePublishingOptionsWithoutPublish() {
        StringWriter err = new StringWriter();

        int exit =
                execute(err, "--report", dir.resolve("p.json").toString(), "--promote", "serving");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--promote is only used with --publish URL");
    }

    @Test
    void shouldRequireAnAdapterNameAndAnHttpUrlToPublish() {
        StringWriter noName = new StringWriter();
        StringWriter badUrl = new StringWriter();

        int first =
                execute(
                        noName,
                        "--report",
                        dir.resolve("n.json").toString(),
                        "--publish",
                        "http://r");
        int second =
                execute(
                        badUrl,
                        "--report",
                        dir.resolve("u.json").toString(),
                        "--publish",
                        "registry:8081",
                        "--adapter",
                        "sentiment");

        assertThat(first).isEqualTo(2);
        assertThat(noName.toString()).contains("--publish needs --adapter NAME");
        assertThat(second).isEqualTo(2);
        assertThat(badUrl.toString()).contains("--publish registry:8081").contains("http(s) URL");
    }

    @Test
    void shouldFailBeforeTrainingWhenTheRegistryCannotBeReached() {
        StringWriter err = new StringWriter();
        Path report = dir.resolve("unreached.json");

        int exit =
                execute(
                        err,
                        "--report",
                        report.toString(),
                        "--publish",
                        "http://127.0.0.1:9",
                        "--adapter",
                        "sentiment");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains("train: --publish http://127.0.0.1:9")
                .contains("cannot reach the model registry");
        assertThat(report).doesNotExist();
    }
}
