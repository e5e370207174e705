package io.forwardloop.flink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Historical input of the bounded signal job: files of inference records, feedback and, optionally,
 * adapter steps, and where the outputs go.
 *
 * <p>A file ending in {@code .avro} is an Avro object container file of the record type; any other
 * file is JSONL, one JSON object per line with the Avro field names (see the module README). With
 * an output directory the job writes JSONL part files under {@code zo-signals/}, {@code
 * ff-examples/}, {@code holdout/} and {@code dead-letters/} there; without one it writes to the
 * Kafka topics, exactly once.
 */
public final class HistoricalFiles {
    private final List<Path> inferenceRecords;
    private final List<Path> feedback;
    private final List<Path> adapterSteps;
    private final Path outputDirectory;

    private HistoricalFiles(Builder builder) {
        this.inferenceRecords = List.copyOf(builder.inferenceRecords);
        this.feedback = List.copyOf(builder.feedback);
        this.adapterSteps = List.copyOf(builder.adapterSteps);
        this.outputDirectory = builder.outputDirectory;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Path> inferenceRecords() {
        return inferenceRecords;
    }

    public List<Path> feedback() {
        return feedback;
    }

    public List<Path> adapterSteps() {
        return adapterSteps;
    }

    /** Where JSONL outputs go; empty when the outputs go to Kafka. */
    public Optional<Path> outputDirectory() {
        return Optional.ofNullable(outputDirectory);
    }

    /** Collects the files; {@link #build()} checks that they exist. */
    public static final class Builder {
        private final List<Path> inferenceRecords = new ArrayList<>();
        private final List<Path> feedback = new ArrayList<>();
        private final List<Path> adapterSteps = new ArrayList<>();
        private Path outputDirectory;

        public Builder inferenceRecords(Path... files) {
            inferenceRecords.addAll(List.of(files));
            return this;
        }

        public Builder feedback(Path... files) {
            feedback.addAll(List.of(files));
            return this;
        }

        public Builder adapterSteps(Path... files) {
            adapterSteps.addAll(List.of(files));
            return this;
        }

        public Builder outputDirectory(Path directory) {
            this.outputDirectory = directory;
            return this;
        }

        /**
         * @throws IllegalArgumentException when records or feedback are missing or a file does not
         *     exist
         */
        public HistoricalFiles build() {
            require(inferenceRecords, "inference record");
            require(feedback, "feedback");
            adapterSteps.forEach(Builder::exists);
            return new HistoricalFiles(this);
        }

        private static void require(List<Path> files, String what) {
            if (files.isEmpty()) {
                throw new IllegalArgumentException(
                        "no " + what + " files given; name at least one JSONL or .avro file");
            }
            files.forEach(Builder::exists);
        }

        private static void exists(Path file) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(
                        "input file " + file + " does not exist or is not a regular file");
            }
        }
    }
}
