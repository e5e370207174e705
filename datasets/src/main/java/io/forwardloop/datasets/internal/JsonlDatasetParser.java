package io.forwardloop.datasets.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.datasets.DatasetFormatException;
import io.forwardloop.datasets.LabeledText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parses JSON Lines: one object with {@code text}, {@code label}, optional {@code domain}. */
public final class JsonlDatasetParser {

    private static final Logger LOG = LoggerFactory.getLogger(JsonlDatasetParser.class);
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String SHAPE = "each line must be a JSON object with 'text' and 'label'";

    private final Path file;
    private long line;

    /** A parser for {@code file}; the name is used in error messages. */
    public JsonlDatasetParser(Path file) {
        this.file = file;
    }

    /** Parses every line of {@code content}. */
    public List<LabeledText> parse(String content) throws IOException {
        BufferedReader in = new BufferedReader(new StringReader(content));
        List<LabeledText> out = new ArrayList<>();
        long empty = 0;
        for (String raw = nextLine(in); raw != null; raw = nextLine(in)) {
            String json = line == 1 ? TextFiles.stripBom(raw) : raw;
            if (json.isBlank()) {
                empty++;
                continue;
            }
            out.add(toText(parseObject(json)));
        }
        LOG.debug("read {} labeled texts from {}; skipped {} empty lines", out.size(), file, empty);
        return out;
    }

    private String nextLine(BufferedReader in) throws IOException {
        line++;
        return in.readLine();
    }

    private JsonNode parseObject(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw error("not valid JSON (" + e.getOriginalMessage() + "); " + SHAPE);
        }
        if (!node.isObject()) {
            throw error("found a JSON " + kind(node) + " instead of an object; " + SHAPE);
        }
        return node;
    }

    private LabeledText toText(JsonNode object) {
        String text = requireField(object, "text", JsonNode::isTextual, "a string");
        String label =
                requireField(object, "label", JsonNode::isValueNode, "a string, number or boolean");
        JsonNode domain = object.get("domain");
        if (domain != null && !domain.isNull() && !domain.isTextual()) {
            throw error("'domain' must be a string but is a " + kind(domain));
        }
        return new LabeledText(text, label, domain == null ? null : domain.textValue());
    }

    private String requireField(JsonNode object, String name, Predicate<JsonNode> ok, String want) {
        JsonNode value = object.get(name);
        if (value == null) {
            throw error("no '" + name + "' field; " + SHAPE);
        }
        if (value.isNull() || !ok.test(value)) {
            throw error("'" + name + "' must be " + want + " but is " + kind(value));
        }
        if (value.asText().isBlank()) {
            throw error("'" + name + "' is empty; every record needs a text and a label");
        }
        return value.asText();
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private DatasetFormatException error(String problem) {
        return new DatasetFormatException(file, line, problem);
    }
}
