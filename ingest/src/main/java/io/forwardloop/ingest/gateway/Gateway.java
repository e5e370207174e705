package io.forwardloop.ingest.gateway;

import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.ingest.adapters.AdapterRegistry;
import io.forwardloop.ingest.adapters.AdapterSource;
import io.forwardloop.ingest.adapters.DirectoryAdapterSource;
import io.forwardloop.ingest.adapters.RegistryAdapterSource;
import io.forwardloop.ingest.adapters.internal.SpecMetadata;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.encoder.Encoders;
import io.forwardloop.ingest.gateway.internal.GatewaySummary;
import io.forwardloop.ingest.gateway.internal.HttpApi;
import io.forwardloop.ingest.gateway.internal.MicroBatcher;
import io.forwardloop.ingest.gateway.internal.Records;
import io.forwardloop.ingest.gateway.internal.RequestCache;
import io.forwardloop.ingest.logging.KafkaRecordLog;
import io.forwardloop.ingest.logging.RecordLog;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.registry.client.RegistryClient;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serving gateway: the frozen encoder and hot-swappable adapters behind an HTTP API, logging
 * every answer and every feedback to Kafka.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder()
 *         .config(Map.of(
 *                 "gateway.http.port", 0, "gateway.adapters", "sentiment:negative|positive"))
 *         .build()
 *         .start()) {
 *     URI predict = URI.create(gateway.url() + "/v1/predict");
 * }
 * }</pre>
 *
 * <p>{@link #start()} loads the encoder, starts the adapter source (which delivers the versions it
 * has before {@code start} returns), initialises every configured adapter that has no version yet
 * from the seed, starts the record log and the micro-batcher, and opens the HTTP port. {@link
 * #close()} stops them in reverse order.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final Encoder givenEncoder;
    private final AdapterSource givenSource;
    private final RecordLog givenLog;
    private final PrometheusMeterRegistry meters =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> started = new ArrayList<>();
    private Encoder encoder;
    private AdapterRegistry adapters;
    private AdapterSource source;
    private RecordLog log;
    private Javalin http;

    private Gateway(Builder builder) {
        this.config = new GatewayConfig(builder.config);
        this.givenEncoder = builder.encoder;
        this.givenSource = builder.source;
        this.givenLog = builder.log;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts serving.
     *
     * @throws GatewayException when a part fails to start; what had started is closed again
     */
    public synchronized Gateway start() {
        if (http != null) {
            throw new IllegalStateException("gateway already started");
        }
        try {
            startParts();
        } catch (RuntimeException e) {
            close();
            throw e instanceof GatewayException g
                    ? g
                    : new GatewayException("gateway failed to start: " + e.getMessage(), e);
        }
        LOG.info(
                "gateway {} serves {} with encoder {} on {}",
                config.gatewayId(),
                adapters.names(),
                encoder.id(),
                url());
        return this;
    }

    private void startParts() {
        encoder =
                givenEncoder != null ? givenEncoder : own(Encoders.create(config.encoderConfig()));
        adapters =
                own(
                        new AdapterRegistry(
                                encoder.dimension(),
                                config.adapterLabels(),
                                config.encoderConfig().intraOpThreads(),
                                meters));
        source = givenSource != null ? givenSource : source();
        if (source != null) {
            own(source).start(adapters::offer);
        }
        seedMissing();
        log = givenLog != null ? givenLog : own(recordLog());
        MicroBatcher batcher =
                own(
                        new MicroBatcher(
                                encoder,
                                adapters,
                                config.batchMaxSize(),
                                config.batchMaxWaitMs(),
                                config.batchWorkers(),
                                config.queueMaxTexts(),
                                meters));
        startHttp(batcher);
        if (config.summaryIntervalMs() > 0) {
            own(
                    new GatewaySummary(
                            config.gatewayId(), meters, adapters, config.summaryIntervalMs()));
        }
    }

    private <T extends AutoCloseable> T own(T part) {
        started.add(part);
        return part;
    }

    private AdapterSource source() {
        return switch (config.adapterSource()) {
            case NONE -> null;
            case DIRECTORY ->
                    new DirectoryAdapterSource(
                            Path.of(config.adapterDir()),
                            config.adapterPollIntervalMs(),
                            encoder.dimension());
            case REGISTRY -> registrySource();
        };
    }

    private AdapterSource registrySource() {
        ClusterConnection kafka = config.kafka().orElseThrow();
        RegistryClient client =
                RegistryClient.builder()
                        .url(config.registryUrl())
                        .token(config.registryToken().orElse(null))
                        .build();
        return new RegistryAdapterSource(
                client,
                kafka.kafkaProperties(),
                kafka.serdeConfig(),
                config.servingAlias(),
                config.adapterLabels().keySet(),
                encoder.dimension(),
                meters);
    }

    private void seedMissing() {
        config.adapterLabels()
                .forEach(
                        (name, labels) -> {
                            if (adapters.current(name).isEmpty()) {
                                adapters.seed(name, freshSpec(labels), config.adapterSeed());
                            }
                        });
        if (adapters.names().isEmpty()) {
            LOG.warn("no adapter to serve yet; predict answers 404 until a version arrives");
        }
    }

    private AdapterSpec freshSpec(List<String> labels) {
        Map<String, Object> shape = new HashMap<>();
        shape.put("rank", config.adapterRank());
        shape.put("hidden_sizes", config.adapterHiddenSizes());
        return SpecMetadata.spec(config.adapterKind(), labels, shape, encoder.dimension());
    }

    private RecordLog recordLog() {
        return config.kafka()
                .<RecordLog>map(
                        kafka ->
                                new KafkaRecordLog(
                                        kafka.kafkaProperties(),
                                        kafka.serdeConfig(),
                                        new KafkaRecordLog.Settings(
                                                config.logBufferMaxRecords(),
                                                config.logDeliveryTimeoutMs(),
                                                config.logWarnIntervalMs()),
                                        meters))
                .orElseGet(
                        () -> {
                            LOG.info(
                                    "{} is not set: served predictions are not logged",
                                    ClusterConnection.BOOTSTRAP_SERVERS);
                            return RecordLog.disabled();
                        });
    }

    private void startHttp(MicroBatcher batcher) {
        Records records = new Records(encoder.id().id(), config.gatewayId(), config.redaction());
        RequestCache requests = new RequestCache(config.requestCacheSize(), config.requestTtlMs());
        HttpApi api =
                new HttpApi(
                        config,
                        new HttpApi.Parts(encoder, adapters, source, batcher, requests, log),
                        records,
                        meters);
        try {
            http =
                    Javalin.create(
                                    c -> {
                                        c.startup.showJavalinBanner = false;
                                        c.startup.showOldJavalinVersionWarning = false;
                                        c.jetty.host = config.httpHost();
                                        c.jetty.port = config.httpPort();
                                        api.install(c);
                                    })
                            .start();
        } catch (RuntimeException e) {
            throw new GatewayException(
                    "cannot listen on "
                            + config.httpHost()
                            + ":"
                            + config.httpPort()
                            + " ("
                            + e.getMessage()
                            + "); choose a free "
                            + GatewayConfig.HTTP_PORT
                            + " or 0 for any",
                    e);
        }
    }

    /** The port the HTTP API listens on. */
    public synchronized int port() {
        if (http == null) {
            throw new IllegalStateException("gateway not started; call start() first");
        }
        return http.port();
    }

    /** The base URL, {@code http://127.0.0.1:PORT} when listening on every interface. */
    public String url() {
        String host = config.httpHost();
        return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port();
    }

    /** The served adapters; offer versions here to swap them directly. */
    public AdapterRegistry adapters() {
        return Objects.requireNonNull(adapters, "gateway not started");
    }

    /** The encoder in front of the adapters. */
    public Encoder encoder() {
        return Objects.requireNonNull(encoder, "gateway not started");
    }

    /** The record log. */
    public RecordLog records() {
        return Objects.requireNonNull(log, "gateway not started");
    }

    /** The gateway's metrics, as {@code GET /metrics} serves them. */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public GatewayConfig config() {
        return config;
    }

    /**
     * Stops the HTTP API, the batcher, the record log, the source, the adapters and the encoder.
     */
    @Override
    public synchronized void close() {
        if (http != null) {
            http.stop();
            http = null;
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            closeQuietly(started.get(i));
        }
        started.clear();
        meters.close();
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            LOG.warn("could not close {}: {}", part.getClass().getSimpleName(), e.toString());
        }
    }

    /** Configures a {@link Gateway}. */
    public static final class Builder {
        private Map<String, ?> config = Map.of();
        private Encoder encoder;
        private AdapterSource source;
        private RecordLog log;

        private Builder() {}

        /** The configuration, keyed as in {@link GatewayConfig}. */
        public Builder config(Map<String, ?> config) {
            this.config = Map.copyOf(config);
            return this;
        }

        /** An encoder to use instead of loading one; the gateway does not close it. */
        public Builder encoder(Encoder encoder) {
            this.encoder = encoder;
            return this;
        }

        /** An adapter source to use instead of the configured one. */
        public Builder adapterSource(AdapterSource source) {
            this.source = source;
            return this;
        }

        /** A record log to use instead of the configured one; the gateway does not close it. */
        public Builder recordLog(RecordLog log) {
            this.log = log;
            return this;
        }

        /**
         * Validates the configuration and returns the gateway, not yet started.
         *
         * @throws org.apache.kafka.common.config.ConfigException naming the key that is wrong
         */
        public Gateway build() {
            return new Gateway(this);
        }
    }
}
