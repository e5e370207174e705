package io.forwardloop.ingest.adapters.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.forwardloop.adapter.AdapterGraphs;
import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The ONNX Runtime sessions of adapter graphs, one per graph shape: every adapter whose spec yields
 * the same graph shares one session, and a new adapter version never opens a new session. A graph
 * carries no label names ({@link AdapterGraphs}), so adapters that differ only in their labels
 * share a session too.
 */
public final class GraphSessions implements AutoCloseable {
    private final OrtEnvironment environment;
    private final int intraOpThreads;
    private final Map<GraphKey, OrtSession> sessions = new HashMap<>();

    public GraphSessions(OrtEnvironment environment, int intraOpThreads) {
        this.environment = environment;
        this.intraOpThreads = intraOpThreads;
    }

    /** Returns the session of {@code spec}'s graph, opening it on first use. */
    public synchronized OrtSession sessionFor(AdapterSpec spec) throws OrtException {
        byte[] graph = graph(spec);
        GraphKey key = new GraphKey(graph);
        OrtSession session = sessions.get(key);
        if (session == null) {
            session = open(graph);
            sessions.put(key, session);
        }
        return session;
    }

    /** The graph output that scores labels for {@code spec}'s kind. */
    public static String scoreOutput(AdapterSpec spec) {
        return spec.kind() == AdapterKind.LOW_RANK_CLASSIFIER
                ? AdapterGraphs.PROBABILITIES
                : AdapterGraphs.GOODNESS;
    }

    /** How many sessions are open. */
    public synchronized int size() {
        return sessions.size();
    }

    @Override
    public synchronized void close() {
        for (OrtSession session : sessions.values()) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("could not close an adapter session", e);
            }
        }
        sessions.clear();
    }

    private static byte[] graph(AdapterSpec spec) {
        return (spec.kind() == AdapterKind.LOW_RANK_CLASSIFIER
                        ? AdapterGraphs.lowRankClassifier(spec)
                        : AdapterGraphs.forwardForward(spec))
                .toByteArray();
    }

    private OrtSession open(byte[] graph) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            return environment.createSession(graph, options);
        }
    }

    private record GraphKey(byte[] graph) {
        @Override
        public boolean equals(Object other) {
            return other instanceof GraphKey key && Arrays.equals(graph, key.graph);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(graph);
        }

        @Override
        public String toString() {
            return "graph of " + graph.length + " bytes";
        }
    }
}
