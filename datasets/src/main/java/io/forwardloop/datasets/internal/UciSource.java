package io.forwardloop.datasets.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.datasets.DatasetCatalog;
import io.forwardloop.datasets.DatasetFetchException;
import io.forwardloop.datasets.DatasetInfo;
import io.forwardloop.datasets.LabeledText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UCI Sentiment Labelled Sentences from the fixtures of npm package {@code sentiment@5.0.2}.
 *
 * <p>Each of {@code package/test/fixtures/{amazon,imdb,yelp}.json} is a JSON array of {@code
 * {"text": ..., "class": 0|1}}; class 1 is positive. Each file ends with an empty record ({@code
 * {"text": "", "class": null}}), which is skipped. Texts are stripped of surrounding whitespace.
 */
public final class UciSource implements DatasetSource {

    private static final Logger LOG = LoggerFactory.getLogger(UciSource.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PACKAGE = "sentiment@5.0.2";
    private static final String FIXTURES = "package/test/fixtures/";

    @Override
    public DatasetInfo info() {
        return DatasetCatalog.UCI;
    }

    @Override
    public Path download(Path workDir, ProcessRunner runner) {
        ProcessRunner.Result result =
                runner.run(List.of("npm", "pack", PACKAGE), workDir, "Node.js and npm");
        Path archive = workDir.resolve(info().archiveFileName());
        if (!result.succeeded() || !Files.isRegularFile(archive)) {
            throw new DatasetFetchException(
                    "'npm pack " + PACKAGE + "' failed; npm said: " + result.tail());
        }
        return archive;
    }

    @Override
    public List<LabeledText> extract(Path archive, Path workDir, ProcessRunner runner)
            throws IOException {
        Map<String, byte[]> files;
        try (InputStream tar = new GZIPInputStream(Files.newInputStream(archive))) {
            files = TarReader.read(tar, p -> p.startsWith(FIXTURES) && p.endsWith(".json"));
        }
        List<LabeledText> out = new ArrayList<>();
        for (String domain : info().domains()) {
            out.addAll(parseFixture(domain, files.get(FIXTURES + domain + ".json")));
        }
        return out;
    }

    private List<LabeledText> parseFixture(String domain, byte[] json) throws IOException {
        if (json == null) {
            throw unexpected(domain, "the file is missing");
        }
        JsonNode array = MAPPER.readTree(json);
        if (!array.isArray()) {
            throw unexpected(domain, "expected a JSON array");
        }
        List<LabeledText> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode record = array.get(i);
            if (isEmptyRecord(record)) {
                LOG.debug("skipped the empty record {} of {}.json", i, domain);
            } else {
                out.add(toText(domain, i, record));
            }
        }
        return out;
    }

    private static boolean isEmptyRecord(JsonNode record) {
        return record.path("text").asText("").isBlank() && record.path("class").isNull();
    }

    private LabeledText toText(String domain, int index, JsonNode record) {
        JsonNode cls = record.path("class");
        String text = record.path("text").asText("").strip();
        if (text.isEmpty() || !cls.isInt() || (cls.intValue() != 0 && cls.intValue() != 1)) {
            throw unexpected(domain, "record " + index + " is not {text, class 0 or 1}: " + record);
        }
        return new LabeledText(text, cls.intValue() == 1 ? "positive" : "negative", domain);
    }

    private DatasetFetchException unexpected(String domain, String problem) {
        return new DatasetFetchException(
                "unexpected content in "
                        + FIXTURES
                        + domain
                        + ".json of "
                        + PACKAGE
                        + ": "
                        + problem);
    }
}
