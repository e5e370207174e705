package io.forwardloop.trainer;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A registry in memory: versions from 1, one alias history per adapter and alias. */
final class InMemoryPublisher implements AdapterPublisher {
    final List<Candidate> published = new ArrayList<>();
    final Map<String, Deque<Long>> aliases = new HashMap<>();
    int rollbacks;

    @Override
    public synchronized long publish(Candidate candidate) {
        published.add(candidate);
        return published.size();
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
