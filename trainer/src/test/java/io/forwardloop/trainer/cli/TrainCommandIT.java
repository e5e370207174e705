package io.forwardloop.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.datasets.Datasets;
import io.forwardloop.datasets.LabeledText;
import io.forwardloop.datasets.Splits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The train command on 400 real UCI sentences, fetched by the datasets module. */
class TrainCommandIT {
    @TempDir Path dir;

    @Test
    void shouldTrainZerothOrderOnRealSentencesCloseToTheReference() throws Exception {
        List<LabeledText> uci = Datasets.load("uci", dir.resolve("datasets"));
        List<LabeledText> sample =
                Splits.stratifiedTrainTest(uci, LabeledText::label, 400.0 / uci.size(), 1).test();
        ObjectMapper json = new ObjectMapper();
        List<String> lines =
                sample.stream()
                        .map(
                                t ->
                                        json.createObjectNode()
                                                .put("text", t.text())
                                                .put("label", t.label()))
                        .map(Object::toString)
                        .toList();
        Path data = Files.write(dir.resolve("uci-400.jsonl"), lines);

        JsonNode zo = train(data, "zo");
        JsonNode bp = train(data, "bp");

        assertThat(zo.get("test_examples").asInt()).isEqualTo(80);
        assertThat(bp.get("accuracy").asDouble()).isGreaterThan(0.75);
        assertThat(zo.get("accuracy").asDouble())
                .isGreaterThan(bp.get("accuracy").asDouble() - 0.06);
    }

    private JsonNode train(Path data, String method) throws Exception {
        Path report = dir.resolve(method + ".json");
        int exit =
                new CommandLine(new TrainCommand())
                        .execute(
                                "--input", data.toString(),
                                "--method", method,
                                "--encoder", "minilm",
                                "--data-dir", dir.resolve("data").toString(),
                                "--report", report.toString());
        assertThat(exit).isZero();
        return new ObjectMapper().readTree(report.toFile());
    }
}
