package io.forwardloop.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the documentation (the pages under {@code docs/}, the root README and each
 * module's README) points to a file or folder that exists.
 */
class MarkdownLinksTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    @Test
    void shouldResolveEveryRelativeLink() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (String target : relativeLinks(page)) {
                if (!Files.exists(page.getParent().resolve(target))) {
                    broken.add(ROOT.relativize(page) + " -> " + target);
                }
            }
        }

        assertThat(broken).as("links to missing files").isEmpty();
    }

    @Test
    void shouldCheckTheDocsAndEveryModuleReadme() throws IOException {
        assertThat(pages())
                .contains(
                        ROOT.resolve("README.md"),
                        ROOT.resolve("docs/architecture.md"),
                        ROOT.resolve("docs/configuration.md"),
                        ROOT.resolve("ingest/README.md"));
    }

    @Test
    void shouldFindLinksOutsideCodeBlocksOnly() {
        List<String> text =
                List.of(
                        "See [ops](operations.md#kafka) and ![curve](benchmarks/a.png).",
                        "```",
                        "[not a link](missing.md)",
                        "```",
                        "[web](https://example.com) [anchor](#top)");

        assertThat(relativeLinks(text)).containsExactly("operations.md", "benchmarks/a.png");
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        try (Stream<Path> modules = Files.list(ROOT)) {
            modules.map(m -> m.resolve("README.md"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .forEach(pages::add);
        }
        return pages;
    }

    private static List<String> relativeLinks(Path page) throws IOException {
        return relativeLinks(Files.readAllLines(page));
    }

    /** Link targets outside fenced code blocks that are neither URLs nor in-page anchors. */
    static List<String> relativeLinks(List<String> lines) {
        List<String> targets = new ArrayList<>();
        boolean inCode = false;
        for (String line : lines) {
            if (line.trim().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            Matcher m = LINK.matcher(inCode ? "" : line.replaceAll("`[^`]*`", ""));
            while (m.find()) {
                String target = m.group(1).replaceAll("#.*$", "");
                if (!target.isEmpty() && !target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    targets.add(target);
                }
            }
        }
        return targets;
    }
}
