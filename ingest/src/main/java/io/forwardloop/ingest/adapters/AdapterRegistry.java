package io.forwardloop.ingest.adapters;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtLoraAdapter;
import ai.onnxruntime.OrtSession;
import io.forwardloop.adapter.AdapterException;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import io.forwardloop.ingest.adapters.AdapterRefusedException.Reason;
import io.forwardloop.ingest.adapters.internal.ArtifactDecoder;
import io.forwardloop.ingest.adapters.internal.GraphSessions;
import io.forwardloop.ingest.adapters.internal.LoadedAdapter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapters a gateway serves, by name, each swapped atomically when a new version passes
 * verification.
 *
 * <p>Each name holds its current {@link ServedAdapter} in an atomic reference. A request takes a
 * {@link AdapterLease} once and runs on that version to the end, so requests in flight during a
 * swap finish on the old version; the old version's ONNX Runtime adapter is closed when its last
 * lease is released. Before a swap, {@link #offer} checks the SHA-256 against the announced one,
 * the file's format, tensor shapes and finiteness against the spec, the activation width against
 * the encoder's, and the label set against the configured (or else the currently served) one. A
 * refused version is logged at WARN, counted in {@code adapter_reload_refused_total{adapter,
 * reason}}, and the old version keeps serving. One ONNX Runtime session per graph shape serves
 * every adapter of that shape, whatever its label names: the graph knows only how many labels there
 * are, and the registry maps score columns to the served version's labels. Thread-safe.
 */
public final class AdapterRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdapterRegistry.class);

    private final int inputDim;
    private final Map<String, List<String>> expectedLabels;
    private final MeterRegistry meters;
    private final OrtEnvironment environment;
    private final GraphSessions sessions;
    private final Map<String, AtomicReference<ServedAdapter>> current = new ConcurrentHashMap<>();
    private final Timer swapTimer;

    /**
     * Creates an empty registry.
     *
     * @param inputDim the width of the encoder's activations every adapter must read
     * @param expectedLabels the configured label set per adapter name; versions of a listed name
     *     must carry exactly these labels, in this order
     * @param intraOpThreads ONNX Runtime threads per adapter run
     */
    public AdapterRegistry(
            int inputDim,
            Map<String, List<String>> expectedLabels,
            int intraOpThreads,
            MeterRegistry meters) {
        this.inputDim = inputDim;
        this.expectedLabels = Map.copyOf(expectedLabels);
        this.meters = meters;
        this.environment =
                OrtEnvironment.getEnvironment(
                        OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "forwardloop-gateway");
        this.sessions = new GraphSessions(environment, intraOpThreads);
        this.swapTimer = Timer.builder("adapter.swap").register(meters);
    }

    /**
     * Verifies {@code artifact} and, if it passes, makes it the served version of its adapter.
     *
     * @return the version now served
     * @throws AdapterRefusedException when verification fails; the old version keeps serving
     */
    public ServedAdapter offer(AdapterArtifact artifact) {
        long start = System.nanoTime();
        ServedAdapter candidate;
        try {
            candidate = load(artifact);
        } catch (AdapterRefusedException e) {
            refused(artifact, e);
            throw e;
        }
        swap(candidate);
        swapTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return candidate;
    }

    /**
     * Serves a fresh adapter, version 0, initialised from {@code seed}, when {@code spec}'s adapter
     * is not served yet ({@link AdapterParameters#initialize}). A fresh low-rank classifier has the
     * identity as its LoRA residual and a zero classifier, so it scores every label equally; a
     * fresh Forward-Forward network has random first-layer label columns, so its goodness differs
     * per label by chance. Either way its answers mean nothing until a trained version arrives.
     *
     * @return the served version: the fresh one, or the one already there
     */
    public ServedAdapter seed(String name, AdapterSpec spec, long seed) {
        Optional<ServedAdapter> existing = current(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] file = OnnxAdapterFile.toBytes(AdapterParameters.initialize(spec, seed), 0, 1);
        String sha = ArtifactDecoder.sha256(file);
        LOG.info("adapter `{}` has no version yet; serving a fresh one from seed {}", name, seed);
        return offer(new AdapterArtifact(name, 0, sha, file, spec, "seed " + seed));
    }

    /**
     * Leases the current version of {@code name}; close the lease when the request is done.
     *
     * @throws UnknownAdapterException listing the served adapters
     */
    public AdapterLease acquire(String name) {
        AtomicReference<ServedAdapter> reference = name == null ? null : current.get(name);
        if (reference == null) {
            throw new UnknownAdapterException(name, names());
        }
        while (true) {
            ServedAdapter adapter = reference.get();
            if (adapter.loaded().tryAcquire()) {
                return new AdapterLease(adapter);
            }
        }
    }

    /** The served version of {@code name}, if any. */
    public Optional<ServedAdapter> current(String name) {
        AtomicReference<ServedAdapter> reference = current.get(name);
        return reference == null ? Optional.empty() : Optional.of(reference.get());
    }

    /** Every served adapter, by name. */
    public List<ServedAdapter> adapters() {
        List<ServedAdapter> all = new ArrayList<>();
        current.values().forEach(reference -> all.add(reference.get()));
        all.sort(Comparator.comparing(ServedAdapter::name));
        return all;
    }

    /** The names of the served adapters, sorted. */
    public List<String> names() {
        return adapters().stream().map(ServedAdapter::name).toList();
    }

    /** The configured label set of {@code name}, if one is configured. */
    public Optional<List<String>> expectedLabels(String name) {
        return Optional.ofNullable(expectedLabels.get(name));
    }

    /** How many ONNX Runtime sessions are open: one per graph shape in use. */
    public int sessionCount() {
        return sessions.size();
    }

    /** The activation width every adapter reads. */
    public int inputDim() {
        return inputDim;
    }

    /** Closes every adapter and session; leases must have been released. */
    @Override
    public void close() {
        current.values().forEach(reference -> reference.get().loaded().release());
        current.clear();
        sessions.close();
    }

    private ServedAdapter load(AdapterArtifact artifact) {
        checkHash(artifact);
        ArtifactDecoder.Decoded decoded = decode(artifact);
        checkSpec(artifact, decoded.spec());
        checkLabels(artifact, decoded.spec().labels());
        LoadedAdapter loaded = loadIntoRuntime(artifact, decoded);
        return new ServedAdapter(
                artifact.name(),
                artifact.version(),
                decoded.spec(),
                artifact.sha256(),
                artifact.origin(),
                loaded);
    }

    private void checkHash(AdapterArtifact artifact) {
        String actual = ArtifactDecoder.sha256(artifact.bytes());
        if (!actual.equals(artifact.sha256())) {
            throw refusal(
                    Reason.HASH_MISMATCH,
                    "its SHA-256 is " + actual + ", not the announced " + artifact.sha256(),
                    null);
        }
    }

    private static ArtifactDecoder.Decoded decode(AdapterArtifact artifact) {
        try {
            return ArtifactDecoder.decode(artifact.bytes(), artifact.spec(), artifact.version());
        } catch (AdapterException | IllegalArgumentException e) {
            throw refusal(Reason.INVALID_FILE, e.getMessage(), e);
        }
    }

    private void checkSpec(AdapterArtifact artifact, AdapterSpec decoded) {
        if (decoded.inputDim() != inputDim) {
            throw refusal(
                    Reason.SPEC_MISMATCH,
                    "it reads activations of width "
                            + decoded.inputDim()
                            + " but the encoder produces "
                            + inputDim,
                    null);
        }
        if (artifact.spec() != null && !artifact.spec().equals(decoded)) {
            throw refusal(
                    Reason.SPEC_MISMATCH,
                    "its file describes " + decoded + " but its metadata " + artifact.spec(),
                    null);
        }
    }

    private void checkLabels(AdapterArtifact artifact, List<String> labels) {
        List<String> expected =
                expectedLabels(artifact.name())
                        .orElseGet(
                                () ->
                                        current(artifact.name())
                                                .map(ServedAdapter::labels)
                                                .orElse(labels));
        if (!expected.equals(labels)) {
            throw refusal(
                    Reason.LABEL_SET,
                    "its labels " + labels + " differ from the served label set " + expected,
                    null);
        }
    }

    private LoadedAdapter loadIntoRuntime(AdapterArtifact artifact, ArtifactDecoder.Decoded d) {
        try {
            OrtSession session = sessions.sessionFor(d.spec());
            OrtLoraAdapter adapter = OrtLoraAdapter.create(d.onnxAdapter());
            return new LoadedAdapter(
                    environment, session, adapter, GraphSessions.scoreOutput(d.spec()));
        } catch (OrtException e) {
            throw refusal(Reason.RUNTIME, "ONNX Runtime refused it: " + e.getMessage(), e);
        }
    }

    private void swap(ServedAdapter candidate) {
        AtomicReference<ServedAdapter> reference =
                current.putIfAbsent(candidate.name(), new AtomicReference<>(candidate));
        ServedAdapter old = reference == null ? null : reference.getAndSet(candidate);
        if (old != null) {
            old.loaded().release();
        }
        meters.counter("adapter.reload", "adapter", candidate.name()).increment();
        LOG.info(
                "serving adapter `{}` version {} ({}, sha256 {}); was version {}",
                candidate.name(),
                candidate.version(),
                candidate.origin(),
                candidate.sha256(),
                old == null ? "none" : old.version());
    }

    private void refused(AdapterArtifact artifact, AdapterRefusedException e) {
        meters.counter(
                        "adapter.reload.refused",
                        "adapter",
                        artifact.name(),
                        "reason",
                        e.reason().tag())
                .increment();
        LOG.warn(
                "refused adapter `{}` version {} from {}: {}; kept version {}",
                artifact.name(),
                artifact.version(),
                artifact.origin(),
                e.getMessage(),
                current(artifact.name()).map(a -> "" + a.version()).orElse("none"));
    }

    private static AdapterRefusedException refusal(Reason reason, String message, Throwable cause) {
        return new AdapterRefusedException(reason, message, cause);
    }
}
