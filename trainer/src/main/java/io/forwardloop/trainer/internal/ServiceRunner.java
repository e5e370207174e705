package io.forwardloop.trainer.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.platform.ProbeServer;
import io.forwardloop.platform.ProbeServer.Probe;
import io.forwardloop.platform.ServiceLifecycle;
import io.forwardloop.trainer.AdapterPublisher;
import io.forwardloop.trainer.TrainerConfig;
import io.forwardloop.trainer.TrainerService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link TrainerService} on its own thread, with its probes: it is ready once the adapter
 * is rebuilt from the step log and the first poll round is done, until it stops.
 *
 * <p>The service's Kafka clients are created, used and closed on that one thread; {@link #close()}
 * asks it to finish its round, waits for it, then stops the probes.
 */
public final class ServiceRunner implements ServiceLifecycle.Service {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);
    private static final String COUNTER = "counter";
    private static final String GAUGE = "gauge";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainerConfig config;
    private final AdapterPublisher publisher;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread loop;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile boolean ready;
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private ProbeServer health;

    public ServiceRunner(TrainerConfig config, AdapterPublisher publisher) {
        this.config = config;
        this.publisher = publisher;
        this.loop = new Thread(this::runLoop, "trainer-" + config.adapterName());
    }

    /** Starts the probes, then the training thread. */
    public ServiceRunner start() {
        health =
                ProbeServer.start(
                        config.getString(TrainerConfig.HTTP_HOST),
                        config.getInt(TrainerConfig.HTTP_PORT),
                        TrainerConfig.HTTP_PORT,
                        this::health,
                        this::readiness,
                        this::metrics);
        loop.start();
        LOG.info(
                "Trainer of adapter {}: probes on {}:{}",
                config.adapterName(),
                config.getString(TrainerConfig.HTTP_HOST),
                health.port());
        return this;
    }

    /** The port of the probes. */
    @Override
    public int port() {
        return health.port();
    }

    private Probe health() {
        boolean up = failure.get() == null;
        return probe(up, up ? "UP" : "DOWN");
    }

    private Probe readiness() {
        boolean up = ready;
        return probe(up, up ? "READY" : "NOT_READY");
    }

    private Probe probe(boolean ok, String status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("adapter", config.adapterName());
        body.put("version", snapshot.version());
        Throwable failed = failure.get();
        if (failed != null) {
            body.put("failure", String.valueOf(failed.getMessage()));
        }
        try {
            return new Probe(ok ? 200 : 503, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a probe answer", e);
        }
    }

    /** Whether the trainer has rebuilt its adapter and is polling. */
    public boolean ready() {
        return ready;
    }

    private void runLoop() {
        try (TrainerService service = new TrainerService(config, publisher).start()) {
            while (!stopping.get()) {
                service.runOnce();
                snapshot = Snapshot.of(service);
                ready = true;
            }
        } catch (RuntimeException e) {
            failure.set(e);
            LOG.error("Trainer of adapter {} failed and stopped", config.adapterName(), e);
        } finally {
            ready = false;
        }
    }

    /**
     * The trainer's counters in the Prometheus text format, as {@code GET /metrics} serves them.
     */
    public String metrics() {
        Snapshot s = snapshot;
        Exposition out = new Exposition(config.adapterName());
        out.add("signals_in_total", COUNTER, "Signals or examples consumed.", s.signalsIn);
        out.add("applied_total", COUNTER, "Signals or pairs applied.", s.applied);
        out.add("dropped_stale_total", COUNTER, "Signals dropped as too stale.", s.droppedStale);
        out.add("duplicates_total", COUNTER, "Repeated signal ids skipped.", s.duplicates);
        out.add("unpaired_total", COUNTER, "Negatives without their positive.", s.unpaired);
        out.add("steps_total", COUNTER, "Steps written to the step log.", s.steps);
        out.add("version", GAUGE, "Adapter version the trainer holds.", s.version);
        out.add("promotions_total", COUNTER, "Serving alias moves to a candidate.", s.promotions);
        out.add("rollbacks_total", COUNTER, "Automatic rollbacks of the alias.", s.rollbacks);
        out.add("holdout_accuracy", GAUGE, "Latest holdout accuracy; NaN before one.", s.accuracy);
        out.add(
                "retained_bytes_estimate",
                GAUGE,
                "Heap the adapter, holdout and dedupe windows hold, estimated.",
                s.retainedBytes);
        out.add("ready", GAUGE, "1 while the trainer is polling.", ready ? 1 : 0);
        return out.toString();
    }

    /** Prometheus text exposition of one adapter's trainer. */
    private static final class Exposition {
        private final StringBuilder out = new StringBuilder();
        private final String labels;

        Exposition(String adapter) {
            this.labels =
                    "{adapter=\"" + adapter.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        }

        void add(String name, String type, String help, double value) {
            String full = "forwardloop_trainer_" + name;
            out.append("# HELP ").append(full).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(full).append(' ').append(type).append('\n');
            out.append(full).append(labels).append(' ');
            if (Double.isNaN(value)) {
                out.append("NaN");
            } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                out.append((long) value);
            } else {
                out.append(value);
            }
            out.append('\n');
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }

    /** Counters copied on the training thread after each round, read by the metrics endpoint. */
    private record Snapshot(
            long signalsIn,
            long applied,
            long droppedStale,
            long duplicates,
            long unpaired,
            long steps,
            long version,
            long promotions,
            long rollbacks,
            double accuracy,
            long retainedBytes) {
        static final Snapshot EMPTY = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0, Double.NaN, 0);

        static Snapshot of(TrainerService service) {
            TrainerService.Stats stats = service.stats();
            return new Snapshot(
                    stats.signalsIn(),
                    stats.applied(),
                    stats.droppedStale(),
                    stats.duplicates(),
                    stats.unpaired(),
                    stats.steps(),
                    service.version(),
                    service.promotions(),
                    service.rollbacks(),
                    service.lastEvaluation() == null
                            ? Double.NaN
                            : service.lastEvaluation().accuracy(),
                    service.retainedBytesEstimate());
        }
    }

    /**
     * Waits until the training thread ends, by {@link #close()} or by a failure.
     *
     * @return the failure that ended it, or null after a clean stop
     */
    @Override
    public Throwable awaitTermination() throws InterruptedException {
        loop.join();
        return failure.get();
    }

    /** Stops training after the current round, closes the clients, then the probes. */
    @Override
    public void close() {
        if (stopping.getAndSet(true)) {
            return;
        }
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (health != null) {
            health.close();
        }
        LOG.info("Trainer of adapter {} stopped", config.adapterName());
    }
}
