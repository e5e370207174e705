package io.forwardloop.schemas.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.SchemaParser;

/**
 * The build's guard against schema changes that break readers of released data.
 *
 * <p>Released schemas are kept under {@code <released root>/<version>/*.avsc}. Every current schema
 * is checked against the schema of the same full name in the highest released version, under {@link
 * CompatibilityLevel#BACKWARD} unless another level is given: consumers upgraded to the current
 * schemas must still read everything written with the released ones. A released schema that is
 * missing from the current set (removed or renamed) is a problem too; a new schema is not.
 *
 * <p>Run as {@code ReleasedSchemasCheck <current dir> <released root> [level]}; it fails with one
 * line per problem, each naming the record and field.
 */
public final class ReleasedSchemasCheck {

    private ReleasedSchemasCheck() {}

    /**
     * Checks and throws when there is any problem.
     *
     * @throws IllegalStateException whose message lists each problem on its own line
     */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException(
                    "usage: ReleasedSchemasCheck <current schema dir> <released root> [level]");
        }
        CompatibilityLevel level =
                args.length == 3 ? CompatibilityLevel.parse(args[2]) : CompatibilityLevel.BACKWARD;
        List<String> problems = check(Path.of(args[0]), Path.of(args[1]), level);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    problems.size()
                            + " incompatible schema change(s) against the released schemas in "
                            + args[1]
                            + "; keep released fields readable (add defaults) or use a new name:\n"
                            + String.join("\n", problems));
        }
    }

    /**
     * Returns the problems of the schemas in {@code currentDir} against the highest release under
     * {@code releasedRoot}; empty when compatible or when nothing has been released yet.
     */
    public static List<String> check(Path currentDir, Path releasedRoot, CompatibilityLevel level) {
        Map<String, Schema> current = parseDirectory(currentDir);
        Optional<Path> release = highestRelease(releasedRoot);
        if (release.isEmpty()) {
            return List.of();
        }
        Map<String, Schema> released = parseDirectory(release.get());
        List<String> problems = new ArrayList<>();
        released.forEach(
                (name, old) -> {
                    Schema candidate = current.get(name);
                    if (candidate == null) {
                        problems.add(missing(name, release.get(), currentDir));
                    } else {
                        problems.addAll(CompatibilityChecker.check(candidate, List.of(old), level));
                    }
                });
        return problems;
    }

    private static String missing(String name, Path release, Path currentDir) {
        return String.format(
                "%s: SCHEMA_REMOVED (released in %s but absent from %s; a removed or renamed"
                        + " schema breaks its readers, restore it)",
                name, release.getFileName(), currentDir);
    }

    /**
     * Parses every {@code *.avsc} file in {@code dir}, which may refer to each other's named types
     * in any order, and returns each file's top-level schema by full name.
     *
     * @throws IllegalArgumentException naming the file that does not parse
     */
    public static Map<String, Schema> parseDirectory(Path dir) {
        SchemaParser parser = new SchemaParser();
        Map<Path, SchemaParser.ParseResult> parsed = new TreeMap<>();
        for (Path file : avscFiles(dir)) {
            parsed.put(file, parseFile(parser, file));
        }
        Map<String, Schema> schemas = new TreeMap<>();
        parsed.forEach(
                (file, result) -> {
                    Schema schema = resolve(file, result);
                    schemas.put(schema.getFullName(), schema);
                });
        return schemas;
    }

    private static SchemaParser.ParseResult parseFile(SchemaParser parser, Path file) {
        try {
            return parser.parse(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema file " + file, e);
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException(
                    "schema file " + file + " is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    private static Schema resolve(Path file, SchemaParser.ParseResult result) {
        try {
            return result.mainSchema();
        } catch (AvroRuntimeException e) {
            throw new IllegalArgumentException(
                    "schema file " + file + " refers to an undefined type: " + e.getMessage(), e);
        }
    }

    private static List<Path> avscFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("schema directory " + dir + " does not exist");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".avsc"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list schema directory " + dir, e);
        }
    }

    /** Returns the release directory with the highest dotted numeric version, if any. */
    static Optional<Path> highestRelease(Path releasedRoot) {
        if (!Files.isDirectory(releasedRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(releasedRoot)) {
            Map<Path, int[]> versions = new TreeMap<>();
            dirs.filter(Files::isDirectory).forEach(d -> versions.put(d, version(d)));
            return versions.entrySet().stream()
                    .max(Map.Entry.comparingByValue(Arrays::compare))
                    .map(Map.Entry::getKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list released schemas in " + releasedRoot, e);
        }
    }

    private static int[] version(Path dir) {
        String name = dir.getFileName().toString();
        try {
            return Stream.of(name.split("\\.")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "released schema directory "
                            + dir
                            + " is not named by a version like 0.1.0; rename or remove it",
                    e);
        }
    }
}
