package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.adapter.OnnxAdapterFile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A registry in memory: versions from 1 (of all adapters together), one alias history per adapter
 * and alias. Parameters are read back through the adapter file format, so a spec that does not fit
 * fails as it does against the real registry.
 */
final class InMemoryPublisher implements AdapterPublisher {
    final List<Candidate> published = new ArrayList<>();
    final List<VersionInfo> infos = new ArrayList<>();
    final Map<String, Deque<Long>> aliases = new HashMap<>();
    int rollbacks;

    @Override
    public synchronized long publish(Candidate candidate) {
        published.add(candidate);
        Map<String, Object> hyper = new LinkedHashMap<>(candidate.hyperparameters());
        hyper.putAll(RegistryPublisher.shape(candidate.parameters().spec()));
        infos.add(
                new VersionInfo(
                        published.size(),
                        candidate.parameters().spec().kind().name(),
                        candidate.encoderId(),
                        candidate.parameters().spec().labels(),
                        hyper,
                        candidate.parentVersion(),
                        candidate.stepFrom(),
                        candidate.stepTo()));
        return published.size();
    }

    /** Publishes like {@code train --publish}: no parent, no step range; returns the version. */
    synchronized long publishOffline(String adapter, AdapterParameters params, String encoderId) {
        long version =
                publish(new Candidate(adapter, params, encoderId, null, Map.of(), null, 0, 0));
        VersionInfo info = infos.get((int) version - 1);
        infos.set(
                (int) version - 1,
                new VersionInfo(
                        version,
                        info.kind(),
                        info.encoderId(),
                        info.labels(),
                        info.hyperparameters(),
                        null,
                        null,
                        null));
        return version;
    }

    @Override
    public synchronized Optional<VersionInfo> describe(String adapter, String alias) {
        return serving(adapter, alias).map(v -> infos.get((int) (long) v - 1));
    }

    @Override
    public synchronized List<VersionInfo> versions(String adapter) {
        List<VersionInfo> out = new ArrayList<>();
        for (int i = 0; i < published.size(); i++) {
            if (published.get(i).adapterName().equals(adapter)) {
                out.add(infos.get(i));
            }
        }
        return out;
    }

    @Override
    public synchronized AdapterParameters parameters(
            String adapter, long version, AdapterSpec spec) {
        byte[] file = OnnxAdapterFile.toBytes(published.get((int) version - 1).parameters(), 0, 1);
        return OnnxAdapterFile.verify(file, spec);
    }

    @Override
    public synchronized Optional<Published> resolve(
            String adapter, String alias, AdapterSpec spec) {
        Deque<Long> history = aliases.get(adapter + "/" + alias);
        if (history == null || history.isEmpty()) {
            return Optional.empty();
        }
        long version = history.peekLast();
        AdapterParameters params = published.get((int) version - 1).parameters();
        return Optional.of(new Published(version, params));
    }

    @Override
    public synchronized void promote(String adapter, String alias, long version) {
        aliases.computeIfAbsent(adapter + "/" + alias, k -> new ArrayDeque<>()).addLast(version);
    }

    @Override
    public synchronized boolean rollback(String adapter, String alias) {
        Deque<Long> history = aliases.get(adapter + "/" + alias);
        if (history == null || history.size() < 2) {
            return false;
        }
        history.removeLast();
        rollbacks++;
        return true;
    }

    synchronized Optional<Long> serving(String adapter, String alias) {
        Deque<Long> history = aliases.get(adapter + "/" + alias);
        return history == null || history.isEmpty()
                ? Optional.empty()
                : Optional.of(history.peekLast());
    }
}
