package io.forwardloop.replay.internal;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.LabeledBatch;
import io.forwardloop.adapter.ZerothOrder;
import io.forwardloop.adapter.ZerothOrderStep;
import io.forwardloop.flink.JsonRecords;
import io.forwardloop.replay.ReplayException;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.LabeledExample;
import io.forwardloop.schemas.avro.StepKind;
import io.forwardloop.schemas.avro.ZeroOrderSignal;
import io.forwardloop.trainer.ZerothOrderSignal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;

/** The files the training replay exchanges with the signal job: steps in, signals out. */
public final class SignalFiles {
    private SignalFiles() {}

    /** Writes a step log of one SNAPSHOT of {@code params} at {@code version} to {@code file}. */
    public static void writeSnapshot(
            Path file, String adapter, long version, AdapterParameters params) {
        AdapterStep snapshot =
                AdapterStep.newBuilder()
                        .setAdapterName(adapter)
                        .setVersion(version)
                        .setBaseVersion(version)
                        .setKind(StepKind.SNAPSHOT)
                        .setLearningRate(0.0)
                        .setSignalIds(List.of())
                        .setSnapshot(ByteBuffer.wrap(params.toBytes()))
                        .setParametersSha256(params.digest())
                        .setTimestampMs(Instant.EPOCH)
                        .build();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JsonRecords.write(snapshot) + "\n");
        } catch (IOException e) {
            throw new ReplayException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rebuilds the latest version of {@code adapter} from step log files: its last snapshot (or
     * Forward-Forward step) and the zeroth-order steps after it, in version order.
     */
    public static Versioned rebuild(List<Path> files, String adapter) {
        List<AdapterStep> steps = new ArrayList<>();
        for (Path file : files) {
            readAll(file, AdapterStep.class).stream()
                    .filter(s -> adapter.equals(s.getAdapterName().toString()))
                    .forEach(steps::add);
        }
        steps.sort(Comparator.comparingLong(AdapterStep::getVersion));
        AdapterParameters params = null;
        long version = -1;
        for (AdapterStep step : steps) {
            if (step.getSnapshot() != null) {
                params = AdapterParameters.fromBytes(bytes(step.getSnapshot()));
            } else if (params != null && step.getKind() == StepKind.ZEROTH_ORDER) {
                ZerothOrder.applyStep(params, zerothOrderStep(step));
            }
            version = params == null ? version : step.getVersion();
        }
        if (params == null) {
            throw new ReplayException(
                    "the --steps files "
                            + files
                            + " hold no snapshot of adapter "
                            + adapter
                            + "; give a step log that starts with one, or none to start from a"
                            + " seeded base");
        }
        return new Versioned(params, version);
    }

    /**
     * Parameters at a version.
     *
     * @param parameters the parameters
     * @param version their adapter version
     */
    public record Versioned(AdapterParameters parameters, long version) {}

    private static ZerothOrderStep zerothOrderStep(AdapterStep step) {
        return new ZerothOrderStep(
                step.getSeed(), step.getProjectedGradient(), step.getLearningRate());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    /** The zeroth-order signals of {@code adapter} under {@code directory}, by signal id. */
    public static List<ZerothOrderSignal> signals(Path directory, String adapter) {
        return readDirectory(directory, ZeroOrderSignal.class).stream()
                .filter(s -> adapter.equals(s.getAdapterName().toString()))
                .map(SignalFiles::toSignal)
                .sorted(Comparator.comparing(ZerothOrderSignal::id))
                .toList();
    }

    private static ZerothOrderSignal toSignal(ZeroOrderSignal signal) {
        return new ZerothOrderSignal(
                signal.getSignalId().toString(),
                signal.getBaseVersion(),
                signal.getSeed(),
                signal.getEpsilon(),
                signal.getLossPlus(),
                signal.getLossMinus());
    }

    /** The labeled held-out examples of {@code adapter} under {@code directory}, by request id. */
    public static LabeledBatch holdout(Path directory, String adapter, List<String> labels) {
        List<LabeledExample> examples =
                readDirectory(directory, LabeledExample.class).stream()
                        .filter(e -> adapter.equals(e.getAdapterName().toString()))
                        .filter(e -> e.getLabel() != null)
                        .filter(e -> labels.contains(e.getLabel().toString()))
                        .sorted(Comparator.comparing(e -> e.getRequestId().toString()))
                        .toList();
        float[][] x = new float[examples.size()][];
        int[] y = new int[examples.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = floats(examples.get(i).getActivation());
            y[i] = labels.indexOf(examples.get(i).getLabel().toString());
        }
        return new LabeledBatch(x, y);
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static <T extends SpecificRecordBase> List<T> readDirectory(
            Path directory, Class<T> type) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file :
                    files.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .sorted()
                            .toList()) {
                out.addAll(readAll(file, type));
            }
        } catch (IOException e) {
            throw new ReplayException("cannot read " + directory + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Every record of one JSONL or Avro file. */
    public static <T extends SpecificRecordBase> List<T> readAll(Path file, Class<T> type) {
        List<T> out = new ArrayList<>();
        try (RecordReader<T> reader = RecordReader.open(file, type, RecordReader.Position.START)) {
            for (T record = reader.next(); record != null; record = reader.next()) {
                out.add(record);
            }
        }
        return out;
    }
}
