package io.forwardloop.flink.internal;

import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.ZerothOrder;
import io.forwardloop.schemas.avro.AdapterStep;
import io.forwardloop.schemas.avro.StepKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas of adapter parameters, rebuilt from the trainer's step log.
 *
 * <p>A step with a snapshot replaces the replica (when newer); a zeroth-order step with version v
 * is applied to the replica at version v - 1 with {@link ZerothOrder#applyStep}, the same code the
 * trainer runs, so the replica is bit-identical to the trainer's parameters at the same version.
 * Steps that arrive ahead of their predecessor wait; a gap is waited for, never skipped. Steps at
 * or below the replica's version are ignored. A step whose {@code parameters_sha256} disagrees with
 * the replica after applying it drops the replica until the next snapshot.
 */
public final class AdapterReplicas {
    private static final Logger LOG = LoggerFactory.getLogger(AdapterReplicas.class);

    private final Map<String, Replica> replicas = new HashMap<>();
    private final Map<String, TreeMap<Long, AdapterStep>> pending = new HashMap<>();

    /** An adapter's parameters at a version. */
    public record Replica(long version, AdapterParameters parameters) {}

    /** The replica of {@code adapter}, if a snapshot of it has been seen. */
    public Optional<Replica> get(String adapter) {
        return Optional.ofNullable(replicas.get(adapter));
    }

    /** Sets the replica of {@code adapter}, e.g. when restoring from a checkpoint. */
    public void put(String adapter, Replica replica) {
        replicas.put(adapter, replica);
    }

    /** Steps of {@code adapter} waiting for a predecessor, in version order. */
    public List<AdapterStep> pending(String adapter) {
        TreeMap<Long, AdapterStep> steps = pending.get(adapter);
        return steps == null ? List.of() : new ArrayList<>(steps.values());
    }

    /**
     * Offers a step of the log.
     *
     * @return the number of steps applied, this one and waiting ones it unblocked
     */
    public int offer(AdapterStep step) {
        String adapter = step.getAdapterName();
        pending.computeIfAbsent(adapter, a -> new TreeMap<>()).put(step.getVersion(), step);
        int applied = drain(adapter);
        TreeMap<Long, AdapterStep> waiting = pending.get(adapter);
        if (waiting.isEmpty()) {
            pending.remove(adapter);
        }
        return applied;
    }

    private int drain(String adapter) {
        TreeMap<Long, AdapterStep> waiting = pending.get(adapter);
        int applied = 0;
        while (!waiting.isEmpty()) {
            Replica current = replicas.get(adapter);
            long version = current == null ? Long.MIN_VALUE : current.version();
            waiting.headMap(version, true).clear();
            AdapterStep next = nextApplicable(waiting, current);
            if (next == null) {
                return applied;
            }
            waiting.remove(next.getVersion());
            if (apply(adapter, current, next)) {
                applied++;
            }
        }
        return applied;
    }

    // the snapshot furthest ahead wins; otherwise the step right after the replica
    private static AdapterStep nextApplicable(TreeMap<Long, AdapterStep> waiting, Replica current) {
        AdapterStep latestSnapshot = null;
        for (AdapterStep step : waiting.values()) {
            if (step.getSnapshot() != null) {
                latestSnapshot = step;
            }
        }
        if (latestSnapshot != null) {
            return latestSnapshot;
        }
        if (current == null) {
            return null;
        }
        return waiting.get(current.version() + 1);
    }

    private boolean apply(String adapter, Replica current, AdapterStep step) {
        AdapterParameters params;
        if (step.getSnapshot() != null) {
            params = AdapterParameters.fromBytes(bytes(step));
        } else if (step.getKind() == StepKind.ZEROTH_ORDER && isSeedBased(step)) {
            params = current.parameters();
            ZerothOrder.applyStep(
                    params, step.getSeed(), step.getProjectedGradient(), step.getLearningRate());
        } else {
            LOG.warn(
                    "Adapter {} step to version {} is {} without a snapshot; the replica stays at"
                            + " version {} until the next snapshot",
                    adapter,
                    step.getVersion(),
                    step.getKind(),
                    current.version());
            return false;
        }
        return verified(adapter, step, params);
    }

    private boolean verified(String adapter, AdapterStep step, AdapterParameters params) {
        String expected = step.getParametersSha256();
        if (expected != null && !expected.equals(params.digest())) {
            LOG.warn(
                    "Adapter {} replica at version {} has digest {} but the step log says {};"
                            + " dropped until the next snapshot",
                    adapter,
                    step.getVersion(),
                    params.digest(),
                    expected);
            replicas.remove(adapter);
            return false;
        }
        replicas.put(adapter, new Replica(step.getVersion(), params));
        LOG.debug("Adapter {} replica at version {}", adapter, step.getVersion());
        return true;
    }

    private static boolean isSeedBased(AdapterStep step) {
        return step.getSeed() != null && step.getProjectedGradient() != null;
    }

    private static byte[] bytes(AdapterStep step) {
        java.nio.ByteBuffer buffer = step.getSnapshot().duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
