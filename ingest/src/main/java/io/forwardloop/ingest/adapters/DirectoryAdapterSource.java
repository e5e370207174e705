package io.forwardloop.ingest.adapters;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.ingest.adapters.internal.ArtifactDecoder;
import io.forwardloop.ingest.adapters.internal.SpecMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An adapter source on a local directory: {@code <dir>/<name>/<version>.onnx_adapter}, each with
 * its metadata {@code <version>.json} ({@code sha256}, {@code kind}, {@code labels} and the shape
 * hyperparameters {@code rank}, {@code lora_scale}, or {@code hidden_sizes}, {@code label_scale},
 * {@code goodness_threshold}).
 *
 * <p>The highest version of each adapter whose metadata file exists is delivered; the directory is
 * polled, and a version is delivered again only when its SHA-256 changes. Write the adapter file
 * first and the metadata last (as {@link #write} does): the metadata is what makes a version
 * visible.
 */
public final class DirectoryAdapterSource implements AdapterSource {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryAdapterSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The extension of adapter files. */
    public static final String ADAPTER_EXTENSION = ".onnx_adapter";

    /** The extension of metadata files. */
    public static final String METADATA_EXTENSION = ".json";

    private final Path dir;
    private final long pollIntervalMs;
    private final int inputDim;
    private final Map<String, String> delivered = new ConcurrentHashMap<>();
    private ScheduledExecutorService poller;

    /**
     * @param dir the directory holding one folder per adapter
     * @param pollIntervalMs how often to look for new versions
     * @param inputDim the width of the encoder's activations
     */
    public DirectoryAdapterSource(Path dir, long pollIntervalMs, int inputDim) {
        this.dir = dir;
        this.pollIntervalMs = pollIntervalMs;
        this.inputDim = inputDim;
    }

    @Override
    public synchronized void start(Consumer<AdapterArtifact> sink) {
        scan(sink);
        poller =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread thread = new Thread(r, "adapter-dir-poller");
                            thread.setDaemon(true);
                            return thread;
                        });
        poller.scheduleWithFixedDelay(
                () -> scanQuietly(sink), pollIntervalMs, pollIntervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public String describe() {
        return "directory " + dir;
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /**
     * Writes {@code params} as version {@code version} of {@code name} under {@code dir}: the
     * adapter file, then its metadata.
     *
     * @return the adapter file
     */
    public static Path write(Path dir, String name, long version, AdapterParameters params) {
        byte[] file = OnnxAdapterFile.toBytes(params, (int) version, 1);
        try {
            Path folder = Files.createDirectories(dir.resolve(name));
            Path adapter = folder.resolve(version + ADAPTER_EXTENSION);
            Files.write(adapter, file);
            Path tmp = folder.resolve(version + METADATA_EXTENSION + ".tmp");
            JSON.writeValue(tmp.toFile(), metadata(params.spec(), ArtifactDecoder.sha256(file)));
            Files.move(
                    tmp,
                    folder.resolve(version + METADATA_EXTENSION),
                    StandardCopyOption.ATOMIC_MOVE);
            return adapter;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write adapter " + name + " to " + dir, e);
        }
    }

    private static Map<String, Object> metadata(AdapterSpec spec, String sha256) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("sha256", sha256);
        metadata.put("kind", spec.kind().name());
        metadata.put("labels", spec.labels());
        if (spec.kind() == AdapterKind.LOW_RANK_CLASSIFIER) {
            metadata.put("rank", spec.rank());
            metadata.put("lora_scale", spec.loraScale());
        } else {
            metadata.put("hidden_sizes", spec.hiddenSizes());
            metadata.put("label_scale", spec.labelScale());
            metadata.put("goodness_threshold", spec.goodnessThreshold());
        }
        return metadata;
    }

    private void scanQuietly(Consumer<AdapterArtifact> sink) {
        try {
            scan(sink);
        } catch (RuntimeException e) {
            LOG.warn("could not scan adapter directory {}: {}", dir, e.toString());
        }
    }

    private void scan(Consumer<AdapterArtifact> sink) {
        if (!Files.isDirectory(dir)) {
            LOG.debug("adapter directory {} does not exist yet", dir);
            return;
        }
        for (Path folder : list(dir)) {
            if (Files.isDirectory(folder)) {
                latest(folder).ifPresent(version -> deliver(folder, version, sink));
            }
        }
    }

    private Optional<Long> latest(Path folder) {
        return list(folder).stream()
                .map(path -> path.getFileName().toString())
                .filter(file -> file.endsWith(METADATA_EXTENSION))
                .map(file -> file.substring(0, file.length() - METADATA_EXTENSION.length()))
                .filter(version -> version.matches("\\d{1,18}"))
                .map(Long::parseLong)
                .max(Long::compare);
    }

    private void deliver(Path folder, long version, Consumer<AdapterArtifact> sink) {
        String name = folder.getFileName().toString();
        AdapterArtifact artifact;
        try {
            artifact = read(folder, name, version);
        } catch (IOException | RuntimeException e) {
            String unreadable = version + "/unreadable";
            if (!unreadable.equals(delivered.put(name, unreadable))) {
                LOG.warn("cannot read adapter `{}` version {} in {}: {}", name, version, folder, e);
            }
            return;
        }
        String marker = version + "/" + artifact.sha256();
        if (marker.equals(delivered.put(name, marker))) {
            return;
        }
        try {
            sink.accept(artifact);
        } catch (AdapterRefusedException e) {
            LOG.debug("{} was refused; waiting for a new version", artifact);
        }
    }

    private AdapterArtifact read(Path folder, String name, long version) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata =
                JSON.readValue(folder.resolve(version + METADATA_EXTENSION).toFile(), Map.class);
        Path file = folder.resolve(version + ADAPTER_EXTENSION);
        byte[] bytes = Files.readAllBytes(file);
        String sha = String.valueOf(metadata.get("sha256"));
        AdapterSpec spec = ArtifactDecoder.isParameters(bytes) ? null : spec(metadata);
        return new AdapterArtifact(name, version, sha, bytes, spec, file.toString());
    }

    @SuppressWarnings("unchecked")
    private AdapterSpec spec(Map<String, Object> metadata) {
        Object labels = metadata.get("labels");
        return SpecMetadata.spec(
                String.valueOf(metadata.get("kind")),
                labels instanceof List<?> list ? (List<String>) list : List.of(),
                metadata,
                inputDim);
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
