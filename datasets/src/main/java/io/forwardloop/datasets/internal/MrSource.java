package io.forwardloop.datasets.internal;

import io.forwardloop.datasets.DatasetCatalog;
import io.forwardloop.datasets.DatasetFetchException;
import io.forwardloop.datasets.DatasetFormatException;
import io.forwardloop.datasets.DatasetInfo;
import io.forwardloop.datasets.LabeledText;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MR sentence polarity from Debian package {@code python3-pattern} (2.6+git20180818-4).
 *
 * <p>The file {@code usr/share/doc/python3-pattern/test/corpora/polarity-en-pang&lee2.csv} is CSV
 * without a header: a label ({@code "1"} positive, {@code "-1"} negative), then the sentence. Texts
 * are stripped of surrounding whitespace (each ends with a space and a line break).
 */
public final class MrSource implements DatasetSource {

    private static final Logger LOG = LoggerFactory.getLogger(MrSource.class);
    private static final String PACKAGE = "python3-pattern";
    private static final String VERSION = "2.6+git20180818-4";
    private static final String CSV =
            "usr/share/doc/python3-pattern/test/corpora/polarity-en-pang&lee2.csv";
    private static final String APT_HINT = "apt (a Debian-based system)";

    @Override
    public DatasetInfo info() {
        return DatasetCatalog.MR;
    }

    @Override
    public Path download(Path workDir, ProcessRunner runner) {
        List<String> command = List.of("apt-get", "download", PACKAGE + "=" + VERSION);
        ProcessRunner.Result result = runner.run(command, workDir, APT_HINT);
        if (!result.succeeded() && needsPackageLists(result)) {
            LOG.info("apt does not know {} {}; running 'apt-get update' once", PACKAGE, VERSION);
            updatePackageLists(workDir, runner);
            result = runner.run(command, workDir, APT_HINT);
        }
        Path archive = workDir.resolve(info().archiveFileName());
        if (!result.succeeded() || !Files.isRegularFile(archive)) {
            throw new DatasetFetchException(
                    "'apt-get download "
                            + PACKAGE
                            + "="
                            + VERSION
                            + "' failed; apt said: "
                            + result.tail());
        }
        return archive;
    }

    private static boolean needsPackageLists(ProcessRunner.Result result) {
        String out = result.output();
        return out.contains("Unable to locate package")
                || out.contains("was not found")
                || out.contains("has no installation candidate")
                || out.contains("Can't select");
    }

    private static void updatePackageLists(Path workDir, ProcessRunner runner) {
        ProcessRunner.Result update = runner.run(List.of("apt-get", "update"), workDir, APT_HINT);
        if (!update.succeeded()) {
            throw new DatasetFetchException(
                    "'apt-get update' failed (it needs root); run it as root, then fetch again."
                            + " apt said: "
                            + update.tail());
        }
    }

    @Override
    public List<LabeledText> extract(Path archive, Path workDir, ProcessRunner runner)
            throws IOException {
        Path root = Files.createDirectories(workDir.resolve("unpacked"));
        ProcessRunner.Result result =
                runner.run(
                        List.of("dpkg-deb", "-x", archive.toAbsolutePath().toString(), "unpacked"),
                        workDir,
                        "dpkg (dpkg-deb)");
        Path csv = root.resolve(CSV);
        if (!result.succeeded() || !Files.isRegularFile(csv)) {
            throw new DatasetFetchException(
                    "cannot unpack "
                            + CSV
                            + " from "
                            + archive
                            + "; dpkg-deb said: "
                            + result.tail());
        }
        return parse(csv);
    }

    private static List<LabeledText> parse(Path csv) throws IOException {
        List<LabeledText> out = new ArrayList<>();
        StringReader in = new StringReader(TextFiles.readUtf8(csv));
        DelimitedRecordReader records = new DelimitedRecordReader(in, ',', csv);
        for (var row = records.next(); row != null; row = records.next()) {
            if (!row.isEmptyLine()) {
                out.add(toText(csv, row));
            }
        }
        return out;
    }

    private static LabeledText toText(Path csv, DelimitedRecordReader.Row row) {
        List<String> f = row.fields();
        String label = f.size() == 2 ? polarity(f.get(0)) : null;
        if (label == null || f.get(1).isBlank()) {
            throw new DatasetFormatException(
                    csv, row.line(), "expected \"1\" or \"-1\" and a sentence but got " + f);
        }
        return new LabeledText(f.get(1).strip(), label, DatasetCatalog.MR.domains().get(0));
    }

    private static String polarity(String label) {
        return switch (label) {
            case "1" -> "positive";
            case "-1" -> "negative";
            default -> null;
        };
    }
}
