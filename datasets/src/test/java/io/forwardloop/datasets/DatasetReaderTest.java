package io.forwardloop.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {

    @TempDir Path dir;

    @Test
    void shouldKeepStringNumberAndBooleanLabelsAsWritten() throws Exception {
        List<LabeledText> texts = DatasetReader.read(resource("mixed-labels.jsonl"));

        assertThat(texts)
                .extracting(LabeledText::label)
                .containsExactly("positive", "0", "true", "1.5", "-1");
        assertThat(texts.get(0))
                .isEqualTo(new LabeledText("Great phone, works well.", "positive", "amazon"));
        assertThat(texts.get(3).text()).isEqualTo("Café \"quoted\" text");
        assertThat(texts).extracting(LabeledText::domain).containsOnlyOnce("amazon");
    }

    @Test
    void shouldNameFileAndLineWhenJsonlRecordHasNoLabel() throws Exception {
        assertThatThrownBy(() -> DatasetReader.read(resource("missing-label.jsonl")))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(
                        "missing-label.jsonl: line 3: no 'label' field; each line must be a JSON"
                                + " object with 'text' and 'label'")
                .extracting(e -> ((DatasetFormatException) e).line())
                .isEqualTo(3L);
    }

    @Test
    void shouldRejectMalformedJsonlLinesWithTheirLineNumber() throws IOException {
        assertJsonlError("{\"text\": \"x\", \"label\": ", "line 2: not valid JSON");
        assertJsonlError("[\"x\", 1]", "line 2: found a JSON array instead of an object");
        assertJsonlError("{\"text\": 5, \"label\": 1}", "line 2: 'text' must be a string");
        assertJsonlError("{\"text\": \"x\", \"label\": null}", "'label' must be a string, number");
        assertJsonlError("{\"text\": \"x\", \"label\": {}}", "but is object");
        assertJsonlError("{\"text\": \" \", \"label\": 1}", "line 2: 'text' is empty");
        assertJsonlError("{\"label\": 1}", "line 2: no 'text' field");
        assertJsonlError(
                "{\"text\": \"a\", \"label\": 1} {\"text\": \"b\", \"label\": 1}",
                "line 2: not valid JSON");
        assertJsonlError("{\"text\": \"a\", \"label\": 1, \"domain\": 3}", "'domain' must be");
    }

    @Test
    void shouldReadRfc4180QuotingWithBomAndCrlf() throws Exception {
        List<LabeledText> texts = DatasetReader.read(resource("quoting.csv"));

        assertThat(texts)
                .extracting(LabeledText::text)
                .containsExactly(
                        "plain text",
                        "has, a comma",
                        "says \"hi\" twice",
                        "spans\r\ntwo lines",
                        "unquoted \"quote\" kept");
        assertThat(texts)
                .extracting(LabeledText::label)
                .containsExactly("positive", "negative", "1", "0", "true");
        assertThat(texts)
                .extracting(LabeledText::domain)
                .containsExactly("yelp", null, "imdb", "imdb", "amazon");
    }

    @Test
    void shouldReadTsvWithQuotedTab() throws Exception {
        List<LabeledText> texts = DatasetReader.read(resource("tabs.tsv"));

        assertThat(texts)
                .containsExactly(
                        new LabeledText("not good at all", "negative"),
                        new LabeledText("a\ttab inside", "positive"),
                        new LabeledText("commas, are fine here", "1"));
    }

    @Test
    void shouldReportTheStartLineOfARecordAfterAMultiLineField() throws IOException {
        Path file = write("fields.csv", "text,label\n\"a\nb\",positive\nthree,fields,here\n");

        assertThatThrownBy(() -> DatasetReader.read(file))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("fields.csv: line 4: 3 fields but the header has 2 columns");
    }

    @Test
    void shouldRejectAnUnclosedQuoteWhereItOpens() throws Exception {
        assertThatThrownBy(() -> DatasetReader.read(resource("unclosed-quote.csv")))
                .hasMessageContaining("line 3: quoted field is never closed");
    }

    @Test
    void shouldRejectTextAfterAClosingQuote() throws IOException {
        Path file = write("after.csv", "text,label\nok,1\n\"abc\"x,positive\n");

        assertThatThrownBy(() -> DatasetReader.read(file))
                .hasMessageContaining("line 3: unexpected character 'x' after a closing quote");
    }

    @Test
    void shouldRejectAHeaderWithoutLabel() throws IOException {
        Path file = write("header.tsv", "text\tclass\nfine\t1\n");

        assertThatThrownBy(() -> DatasetReader.read(file))
                .hasMessageContaining("line 1: the header has no 'label' column (found [text,");
    }

    @Test
    void shouldRejectEmptyLabelAndEmptyFile() throws IOException {
        Path emptyLabel = write("empty-label.csv", "text,label\nfine,1\nno label,\n");
        Path emptyFile = write("empty.csv", "");

        assertThatThrownBy(() -> DatasetReader.read(emptyLabel))
                .hasMessageContaining("line 3: 'label' is empty");
        assertThatThrownBy(() -> DatasetReader.read(emptyFile))
                .hasMessageContaining("line 1: the file is empty");
    }

    @Test
    void shouldRejectInvalidUtf8WithLineNumber() throws IOException {
        byte[] bad = "text,label\nok,1\nbad \u00ff,1\n".getBytes(StandardCharsets.ISO_8859_1);
        Path csv = Files.write(dir.resolve("latin1.csv"), bad);
        Path jsonl =
                Files.write(
                        dir.resolve("latin1.jsonl"),
                        "{\"text\":\"caf\u00e9\",\"label\":1}\n"
                                .getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> DatasetReader.read(csv))
                .hasMessageContaining("line 3: not valid UTF-8");
        assertThatThrownBy(() -> DatasetReader.read(jsonl))
                .hasMessageContaining("line 1: not valid UTF-8");
    }

    @Test
    void shouldChooseFormatByExtensionUnlessGiven() throws IOException {
        Path txt = write("data.txt", "{\"text\": \"a\", \"label\": \"b\"}\n");

        assertThatThrownBy(() -> DatasetReader.read(txt))
                .hasMessageContaining("cannot tell the format of")
                .hasMessageContaining(".jsonl");
        assertThat(DatasetReader.read(txt, DatasetFormat.JSONL))
                .containsExactly(new LabeledText("a", "b"));
        assertThat(DatasetFormat.of(Path.of("X.NDJSON"))).isEqualTo(DatasetFormat.JSONL);
    }

    private void assertJsonlError(String badLine, String expected) throws IOException {
        Path file = write("bad.jsonl", "{\"text\": \"ok\", \"label\": 1}\n" + badLine + "\n");
        assertThatThrownBy(() -> DatasetReader.read(file))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("bad.jsonl")
                .hasMessageContaining(expected);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(DatasetReaderTest.class.getResource(name).toURI());
    }
}
