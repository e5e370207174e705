package io.forwardloop.ingest.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.ingest.streams.internal.IngestCounters;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.ProbeServer;
import io.forwardloop.platform.ProbeServer.Probe;
import io.forwardloop.platform.ServiceLifecycle;
import io.forwardloop.schemas.registry.SchemaRegistryClients;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest topology ({@link IngestTopology}) as a service: Kafka Streams moving {@code
 * raw-inference-records} and {@code raw-feedback} to {@code inference-records}, {@code feedback}
 * and {@code dead-letters}, with probes and metrics over HTTP.
 *
 * <pre>{@code
 * try (IngestService service = new IngestService(settings).start()) {
 *     Throwable failure = service.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Settings are the keys of {@link IngestConfig} and the connection keys of {@link
 * ClusterConnection} ({@code kafka.bootstrap.servers} and {@code schema.registry.url} required). On
 * {@code ingest.http.host}:{@code ingest.http.port}: {@code GET /health} answers 200 until the
 * streams fail, {@code GET /ready} 200 while Kafka Streams is {@code RUNNING} and 503 otherwise
 * (the body names the state), {@code GET /metrics} the counters of {@link IngestTopology#build(
 * IngestConfig, io.forwardloop.schemas.registry.SchemaRegistryClient, Map,
 * io.micrometer.core.instrument.MeterRegistry)} and {@code ingest_running} in the Prometheus text
 * format.
 *
 * <p>An exception no record handling catches (Kafka refusing a write, the schema registry not
 * answering for a schema not yet cached) stops the whole client: {@link #awaitTermination()}
 * returns it, so that an orchestrator restarts the process, which resumes from the committed
 * offsets.
 */
public final class IngestService implements ServiceLifecycle.Service {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final IngestConfig config;
    private final ClusterConnection connection;
    private final Map<String, Object> serdeConfig;
    private final PrometheusMeterRegistry meters =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private KafkaStreams streams;
    private ProbeServer probes;
    private ScheduledExecutorService summary;
    private boolean closed;

    /**
     * Reads and checks the settings; nothing connects yet.
     *
     * @throws ConfigException naming the key when a setting is missing or invalid
     */
    public IngestService(Map<String, ?> settings) {
        Objects.requireNonNull(settings, "settings");
        this.config = new IngestConfig(settings);
        this.connection = ClusterConnection.from(settings);
        this.serdeConfig = connection.serdeConfig();
    }

    /**
     * Opens the probes, then starts Kafka Streams, which reaches {@code RUNNING} in the background.
     *
     * @throws java.io.UncheckedIOException when the probe port cannot be bound; nothing runs then
     */
    public synchronized IngestService start() {
        if (streams != null) {
            throw new IllegalStateException("ingest service already started");
        }
        streams = new KafkaStreams(topology(), streamsProperties());
        streams.setUncaughtExceptionHandler(this::uncaught);
        streams.setStateListener(this::stateChanged);
        meters.gauge(
                "ingest.running", streams, s -> s.state() == KafkaStreams.State.RUNNING ? 1 : 0);
        try {
            probes =
                    ProbeServer.start(
                            config.httpHost(),
                            config.httpPort(),
                            IngestConfig.HTTP_PORT,
                            this::health,
                            this::readiness,
                            meters::scrape);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        streams.start();
        startSummary();
        LOG.info(
                "Ingest service {} ({}, state in {}) on {}; probes on {}:{}",
                config.applicationId(),
                config.processingGuarantee(),
                config.stateDir(),
                connection,
                config.httpHost(),
                probes.port());
        return this;
    }

    private Topology topology() {
        return IngestTopology.build(
                config, SchemaRegistryClients.create(serdeConfig), serdeConfig, meters);
    }

    private Properties streamsProperties() {
        Properties props = new Properties();
        props.putAll(connection.kafkaProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
        return props;
    }

    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse uncaught(Throwable e) {
        failure.compareAndSet(null, e);
        LOG.error(
                "Ingest service {} stops: {}; restart it to resume from the committed offsets",
                config.applicationId(),
                e.toString(),
                e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private void stateChanged(KafkaStreams.State now, KafkaStreams.State before) {
        LOG.info("Ingest service {}: {} -> {}", config.applicationId(), before, now);
        if (now == KafkaStreams.State.ERROR) {
            failure.compareAndSet(
                    null, new IllegalStateException("Kafka Streams entered state ERROR"));
            terminated.countDown();
        }
    }

    /** The state of Kafka Streams; {@code CREATED} before {@link #start()}. */
    public synchronized KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** Whether Kafka Streams is {@code RUNNING}: what {@code GET /ready} answers. */
    public boolean ready() {
        return state() == KafkaStreams.State.RUNNING;
    }

    /** The port of the probes; valid after {@link #start()}. */
    @Override
    public synchronized int port() {
        if (probes == null) {
            throw new IllegalStateException("ingest service not started; call start() first");
        }
        return probes.port();
    }

    /** The service's meters, as {@code GET /metrics} serves them. */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public IngestConfig config() {
        return config;
    }

    private Probe health() {
        KafkaStreams.State state = state();
        boolean up = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
        return probe(up, up ? "UP" : "DOWN", state);
    }

    private Probe readiness() {
        KafkaStreams.State state = state();
        boolean ready = state == KafkaStreams.State.RUNNING;
        return probe(ready, ready ? "READY" : "NOT_READY", state);
    }

    private Probe probe(boolean ok, String status, KafkaStreams.State state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("state", state.name());
        body.put("application_id", config.applicationId());
        try {
            return new Probe(ok ? 200 : 503, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a probe answer", e);
        }
    }

    private void startSummary() {
        long interval = config.summaryIntervalMs();
        if (interval <= 0) {
            return;
        }
        summary =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread thread = new Thread(r, "ingest-summary");
                            thread.setDaemon(true);
                            return thread;
                        });
        long[] last = new long[3];
        summary.scheduleAtFixedRate(
                () -> logSummary(last), interval, interval, TimeUnit.MILLISECONDS);
    }

    private void logSummary(long[] last) {
        long[] now = {
            total(IngestCounters.VALIDATED),
            total(IngestCounters.DEAD_LETTERED),
            total(IngestCounters.DUPLICATES)
        };
        LOG.info(
                "Ingest service {}: {}, {} records validated, {} dead-lettered, {} duplicates"
                        + " dropped",
                config.applicationId(),
                state(),
                now[0] - last[0],
                now[1] - last[1],
                now[2] - last[2]);
        System.arraycopy(now, 0, last, 0, now.length);
    }

    private long total(String counter) {
        return (long) meters.find(counter).counters().stream().mapToDouble(Counter::count).sum();
    }

    /**
     * Waits until the service stops, by {@link #close()} or by a failure of Kafka Streams.
     *
     * @return the failure that stopped it, or null after {@link #close()}
     */
    @Override
    public Throwable awaitTermination() throws InterruptedException {
        terminated.await();
        return failure.get();
    }

    /** Closes Kafka Streams (committing what it processed), then the probes. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (summary != null) {
            summary.shutdownNow();
        }
        if (streams != null && !streams.close(CLOSE_TIMEOUT)) {
            LOG.warn(
                    "Kafka Streams of {} did not close within {}",
                    config.applicationId(),
                    CLOSE_TIMEOUT);
        }
        if (probes != null) {
            probes.close();
        }
        meters.close();
        terminated.countDown();
        LOG.info("Ingest service {} stopped", config.applicationId());
    }
}
