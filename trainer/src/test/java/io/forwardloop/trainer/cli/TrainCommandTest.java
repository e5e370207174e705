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
}
