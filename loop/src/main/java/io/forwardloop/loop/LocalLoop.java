package io.forwardloop.loop;

import com.fasterxml.jackson.databind.JsonNode;
import io.forwardloop.datasets.DatasetFormat;
import io.forwardloop.datasets.DatasetReader;
import io.forwardloop.datasets.Datasets;
import io.forwardloop.datasets.LabeledText;
import io.forwardloop.flink.RunningSignalJob;
import io.forwardloop.flink.SignalJobConfig;
import io.forwardloop.flink.SignalJobRunner;
import io.forwardloop.ingest.adapters.ServedAdapter;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.encoder.EncoderConfig;
import io.forwardloop.ingest.encoder.Encoders;
import io.forwardloop.ingest.gateway.Gateway;
import io.forwardloop.ingest.streams.IngestConfig;
import io.forwardloop.ingest.streams.IngestService;
import io.forwardloop.loop.internal.FirstAdapter;
import io.forwardloop.loop.internal.FreshnessTracker;
import io.forwardloop.loop.internal.GatewayHttp;
import io.forwardloop.loop.internal.Scenario;
import io.forwardloop.loop.internal.Services;
import io.forwardloop.loop.internal.TrainerRunner;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.platform.TopicSetup;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.schemaregistry.SchemaRegistryServer;
import io.forwardloop.trainer.EmbeddingCache;
import io.forwardloop.trainer.Evaluation;
import io.forwardloop.trainer.RegistryPublisher;
import io.forwardloop.trainer.TrainerConfig;
import io.forwardloop.trainer.TrainerService;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole loop in one process: Kafka and a schema registry (embedded, or an external Kafka), the
 * model registry with its dashboard, the ingest topology, the signal job on a Flink MiniCluster,
 * the streaming trainer and a serving gateway that follows the registry's serving alias.
 *
 * <p>{@link #start()} trains the first adapter offline on the amazon sentences of the UCI data set,
 * publishes it as version 1, promotes it to {@code serving} and writes it to the step log as the
 * snapshot the trainer and the signal job start from. {@link #run} then plays the imdb and yelp
 * sentences as production traffic with delayed feedback (a {@link TrafficPlayer}), reports a {@link
 * LoopStatus} periodically and returns a {@link LoopReport}. {@link #close()} stops every part, the
 * last started first.
 *
 * <p>Each start uses a fresh run directory under the data directory; the data set and the
 * embeddings of the first adapter's sentences are cached there across runs.
 */
public final class LocalLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLoop.class);
    public static final String ADAPTER = "sentiment";
    public static final String SERVING_ALIAS = "serving";
    public static final List<String> LABELS = List.of("negative", "positive");

    // the signal job's counts the loop reads (RunningSignalJob.COUNTS)
    private static final String FEEDBACK_IN = "feedback-in";
    private static final String JOINED = "joined";
    private static final String DEAD_LETTERED = "dead-lettered";
    private static final String DUPLICATES = "duplicates";
    private static final String SIGNALS_OUT = "signals-out";

    private final Builder settings;
    private final Services services = new Services();
    private Scenario scenario;
    private ClusterConnection connection;
    private ModelRegistryServer registry;
    private RegistryClient registryClient;
    private TrainerRunner trainer;
    private RunningSignalJob job;
    private Gateway gateway;
    private String token;
    private volatile boolean stopRequested;

    private LocalLoop(Builder builder) {
        this.settings = builder;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts every part and serves the first adapter; on failure what started is stopped. */
    public LocalLoop start() {
        try {
            startParts();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    private void startParts() {
        Path run =
                settings.dataDir.resolve("runs").resolve(Long.toString(System.currentTimeMillis()));
        List<LabeledText> all = DatasetReader.read(dataset(), DatasetFormat.JSONL);
        scenario = Scenario.of(all, settings.evaluationShare, settings.seed);
        Encoder encoder =
                services.own(
                        Encoders.create(
                                new EncoderConfig(Map.of("encoder.id", settings.encoderId))));
        FirstAdapter.Trained first =
                FirstAdapter.train(
                        scenario.firstAdapter(),
                        LABELS,
                        encoder,
                        new EmbeddingCache(settings.dataDir.resolve("embeddings")),
                        EmbeddingCache.sha256(dataset()) + "-" + Scenario.FIRST_DOMAIN,
                        settings.seed);

        // the platform and the model registry
        connection = startPlatform(run);
        token = settings.registryAuth ? newToken() : null;
        registry =
                services.own(
                        ModelRegistryServer.builder()
                                .port(settings.registryPort)
                                .dataDir(run.resolve("registry"))
                                .authToken(token)
                                .authDisabled(token == null)
                                .kafka(connection.clientProperties())
                                .build()
                                .start());
        registryClient = RegistryClient.builder().url(registry.url()).token(token).build();

        // the first adapter, then the services that learn from traffic
        FirstAdapter.publish(
                first,
                ADAPTER,
                SERVING_ALIAS,
                settings.encoderId,
                new RegistryPublisher(registryClient),
                connection);
        services.own(new IngestService(ingestConfig(run)).start());
        trainer = services.own(new TrainerRunner(startTrainer()));
        job = services.own(SignalJobRunner.start(SignalJobConfig.from(jobConfig())));
        gateway = services.own(Gateway.builder().config(gatewayConfig()).encoder(encoder).build());
        gateway.start();
        LOG.info("Loop running: gateway {}, dashboard {}", gateway.url(), dashboardUrl());
    }

    private Path dataset() {
        return settings.datasetFile != null
                ? settings.datasetFile
                : Datasets.fetch("uci", settings.dataDir.resolve("datasets"));
    }

    private ClusterConnection startPlatform(Path run) {
        TopicSetup topics = TopicSetup.builder().partitions(1).build();
        if (settings.externalKafka == null) {
            EmbeddedPlatform platform =
                    services.own(
                            EmbeddedPlatform.builder()
                                    .dataDir(run.resolve("platform"))
                                    .kafkaPort(settings.kafkaPort)
                                    .schemaRegistryPort(settings.schemaRegistryPort)
                                    .topicSetup(topics)
                                    .build()
                                    .start());
            return platform.connection();
        }
        SchemaRegistryServer schemas =
                services.own(
                        SchemaRegistryServer.builder()
                                .port(settings.schemaRegistryPort)
                                .dataDir(run.resolve("schema-registry"))
                                .build()
                                .start());
        ClusterConnection external =
                ClusterConnection.plaintext(settings.externalKafka, schemas.url());
        try (Admin admin = Admin.create(external.kafkaProperties())) {
            topics.apply(admin);
        }
        return external;
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private TrainerService startTrainer() {
        Map<String, Object> config = new HashMap<>(defaults(TRAINER_DEFAULTS));
        config.put(TrainerConfig.ADAPTER_NAME, ADAPTER);
        config.put(TrainerConfig.ENCODER_ID, settings.encoderId);
        config.put(TrainerConfig.LABELS, String.join(",", LABELS));
        config.put(TrainerConfig.SERVING_ALIAS, SERVING_ALIAS);
        config.put(ClusterConnection.BOOTSTRAP_SERVERS, connection.bootstrapServers());
        config.put(ClusterConnection.SCHEMA_REGISTRY_URL, connection.schemaRegistryUrl());
        return new TrainerService(new TrainerConfig(config), new RegistryPublisher(registryClient))
                .start();
    }

    private Map<String, Object> ingestConfig(Path run) {
        Map<String, Object> config = new HashMap<>();
        config.put(IngestConfig.ADAPTERS, ADAPTER);
        config.put(IngestConfig.STATE_DIR, run.resolve("streams").toString());
        config.put(IngestConfig.HTTP_PORT, 0);
        config.put(ClusterConnection.BOOTSTRAP_SERVERS, connection.bootstrapServers());
        config.put(ClusterConnection.SCHEMA_REGISTRY_URL, connection.schemaRegistryUrl());
        return config;
    }

    private Map<String, Object> jobConfig() {
        Map<String, Object> config = new HashMap<>(defaults(JOB_DEFAULTS));
        config.put(ClusterConnection.BOOTSTRAP_SERVERS, connection.bootstrapServers());
        config.put(ClusterConnection.SCHEMA_REGISTRY_URL, connection.schemaRegistryUrl());
        return config;
    }

    private Map<String, Object> gatewayConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("gateway.http.host", "127.0.0.1");
        config.put("gateway.http.port", settings.gatewayPort);
        config.put("gateway.adapters", ADAPTER + ":" + String.join("|", LABELS));
        config.put("gateway.adapter.source", "registry");
        config.put("gateway.registry.url", registry.url());
        if (token != null) {
            config.put("gateway.registry.token", token);
        }
        config.put("gateway.serving.alias", SERVING_ALIAS);
        config.put("gateway.request.ttl.ms", settings.requestTtl.toMillis());
        config.put("encoder.id", settings.encoderId);
        config.put(ClusterConnection.BOOTSTRAP_SERVERS, connection.bootstrapServers());
        config.put(ClusterConnection.SCHEMA_REGISTRY_URL, connection.schemaRegistryUrl());
        return config;
    }

    // the defaults of one component and every override (each component ignores others' keys)
    private Map<String, Object> defaults(Map<String, Object> defaults) {
        Map<String, Object> merged = new HashMap<>(defaults);
        merged.putAll(settings.overrides);
        return merged;
    }

    /**
     * Trainer settings of the local loop: frequent evaluation and publishing so that learning shows
     * within minutes; other keys keep {@link TrainerConfig}'s defaults.
     */
    public static final Map<String, Object> TRAINER_DEFAULTS =
            Map.of(
                    TrainerConfig.LEARNING_RATE, 0.001,
                    TrainerConfig.MAX_STALENESS, 2_048L,
                    TrainerConfig.EVALUATE_INTERVAL_STEPS, 200L,
                    TrainerConfig.EVALUATE_INTERVAL_MS, 5_000L,
                    TrainerConfig.PUBLISH_INTERVAL_MS, 10_000L,
                    TrainerConfig.HOLDOUT_WINDOW_SIZE, 500,
                    TrainerConfig.HOLDOUT_MIN_EXAMPLES, 20,
                    TrainerConfig.PROMOTION_TOLERANCE, 0.0,
                    TrainerConfig.SUMMARY_INTERVAL_MS, 30_000L);

    /**
     * Signal job settings of the local loop: one shard, checkpoints every second, and many signals
     * per feedback event (32 seeds per mini-batch, three replay mini-batches after each fresh one)
     * so that learning shows within minutes.
     */
    public static final Map<String, Object> JOB_DEFAULTS =
            Map.ofEntries(
                    Map.entry(SignalJobConfig.BATCH_SIZE, 8),
                    Map.entry(SignalJobConfig.SEEDS_PER_BATCH, 32),
                    Map.entry(SignalJobConfig.REPLAY_BATCHES, 7),
                    Map.entry(SignalJobConfig.EPSILON, 1e-3),
                    Map.entry(SignalJobConfig.PARALLEL_SHARDS, 1),
                    Map.entry(SignalJobConfig.PARALLELISM, 1),
                    Map.entry(SignalJobConfig.HOLDOUT_SHARE, 0.2),
                    Map.entry(SignalJobConfig.CHECKPOINT_INTERVAL_MS, 1_000L),
                    Map.entry(SignalJobConfig.FEEDBACK_WAIT_MS, 120_000L),
                    Map.entry(SignalJobConfig.OUT_OF_ORDERNESS_MS, 1_000L),
                    Map.entry(SignalJobConfig.SUMMARY_INTERVAL_MS, 30_000L));

    /** The gateway's base URL. */
    public String gatewayUrl() {
        return gateway.url();
    }

    /** The model registry's base URL. */
    public String registryUrl() {
        return registry.url();
    }

    /** The registry dashboard page of the loop's adapter. */
    public String dashboardUrl() {
        return registry.url() + "/ui/adapters/" + ADAPTER;
    }

    /** The registry's write token, or null when writes need none. */
    public String registryToken() {
        return token;
    }

    /** The sentences of the run: first adapter, traffic and evaluation set. */
    public Scenario scenario() {
        return scenario;
    }

    /** The adapter version the gateway serves now. */
    public long servingVersion() {
        return gateway.adapters().current(ADAPTER).map(ServedAdapter::version).orElse(-1L);
    }

    /** Asks {@link #run} to end early, as after its duration; safe from any thread. */
    public void stop() {
        stopRequested = true;
    }

    /** The gateway's accuracy on the evaluation set and the version that answered. */
    public record Accuracy(double accuracy, long version) {}

    /** Asks the gateway to label the evaluation set, 64 sentences per call. */
    public Accuracy evaluate() {
        GatewayHttp http = new GatewayHttp(gateway.url(), ADAPTER);
        List<LabeledText> texts = scenario.evaluation();
        int correct = 0;
        long version = -1;
        for (int from = 0; from < texts.size(); from += 64) {
            List<LabeledText> chunk = texts.subList(from, Math.min(texts.size(), from + 64));
            GatewayHttp.Answer answer =
                    http.predict(chunk.stream().map(LabeledText::text).toList());
            if (answer.status() != 200) {
                throw new IllegalStateException(
                        "the gateway refused the evaluation: " + answer.body());
            }
            JsonNode predictions = answer.body().path("predictions");
            for (int i = 0; i < chunk.size(); i++) {
                JsonNode p = predictions.get(i);
                correct += chunk.get(i).label().equals(p.path("label").asText()) ? 1 : 0;
                version = Math.max(version, p.path("adapter").path("version").asLong());
            }
        }
        return new Accuracy(correct / (double) texts.size(), version);
    }

    /** The loop's status now, {@code seconds} and {@code player} from the caller. */
    public LoopStatus status(long seconds, TrafficPlayer.Stats player) {
        TrainerService service = trainer.trainer();
        Evaluation evaluation = service.lastEvaluation();
        return new LoopStatus(
                seconds,
                player.requests(),
                player.feedbackAccepted(),
                service.stats().signalsIn(),
                service.stats().steps(),
                servingVersion(),
                evaluation == null ? null : evaluation.accuracy());
    }

    /**
     * Plays traffic for {@code duration} (or until {@link #stop()}), calling {@code onStatus} every
     * {@code statusInterval}; then sends the feedback still due, lets the loop settle and measures.
     */
    public LoopReport run(Duration duration, Duration statusInterval, Consumer<LoopStatus> onStatus)
            throws InterruptedException {
        Accuracy initial = evaluate();
        LOG.info(
                "Initial accuracy on {} evaluation sentences: {} (version {})",
                scenario.evaluation().size(),
                initial.accuracy(),
                initial.version());
        long startMs = System.currentTimeMillis();
        try (TrafficPlayer player = player().start();
                FreshnessTracker tracker = tracker(player).start()) {
            long end = System.nanoTime() + duration.toNanos();
            while (!stopRequested && System.nanoTime() < end) {
                Thread.sleep(
                        Math.min(
                                statusInterval.toMillis(),
                                Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                onStatus.accept(
                        status((System.currentTimeMillis() - startMs) / 1000, player.stats()));
            }
            player.drain(settings.drainTime);
            player.finish();
            Map<String, Long> counts = settle(player.stats());
            Accuracy fin = evaluate();
            LOG.info(
                    "Final accuracy on {} evaluation sentences: {} (version {})",
                    scenario.evaluation().size(),
                    fin.accuracy(),
                    fin.version());
            FreshnessTracker.Result freshness = tracker.finish();
            return report(initial, fin, player.stats(), counts, freshness, startMs);
        }
    }

    private TrafficPlayer player() {
        return TrafficPlayer.builder()
                .gatewayUrl(gateway.url())
                .adapter(ADAPTER, LABELS)
                .texts(scenario.traffic())
                .requestsPerSecond(settings.requestsPerSecond)
                .feedbackShare(settings.feedbackShare)
                .feedbackDelay(settings.feedbackDelay)
                .feedbackDelaySpread(settings.feedbackDelaySpread)
                .feedbackDelayCap(settings.feedbackDelayCap)
                .rejectShare(settings.rejectShare)
                .noiseShare(settings.noiseShare)
                .tagShare(settings.tagShare)
                .seed(settings.seed)
                .build();
    }

    private FreshnessTracker tracker(TrafficPlayer player) {
        SignalJobConfig job = SignalJobConfig.from(jobConfig());
        return new FreshnessTracker(
                connection,
                ADAPTER,
                job.holdoutShare(),
                job.parallelShards(),
                player.tagged(),
                this::servingVersion,
                registryClient);
    }

    // waits until the job has seen and placed every accepted feedback event, the trainer has taken
    // every signal and the gateway serves the version the serving alias names; or until the
    // settle time has passed
    private Map<String, Long> settle(TrafficPlayer.Stats player) throws InterruptedException {
        long deadline = System.nanoTime() + settings.settleTime.toNanos();
        Map<String, Long> counts = job.counts();
        while (System.nanoTime() < deadline && !(settled(counts, player) && judged())) {
            Thread.sleep(500);
            counts = job.counts();
        }
        return counts;
    }

    // the gateway serves the version the serving alias names: the last promotion reached it
    private boolean judged() {
        return registryClient.alias(ADAPTER, SERVING_ALIAS).version() == servingVersion();
    }

    // every accepted event reached the join and was placed there, every joined one reached the
    // signal operator or the holdout, and the trainer took every signal
    private boolean settled(Map<String, Long> counts, TrafficPlayer.Stats player) {
        long in = counts.getOrDefault(FEEDBACK_IN, 0L);
        long joined = counts.getOrDefault(JOINED, 0L);
        long placed =
                joined
                        + counts.getOrDefault(DEAD_LETTERED, 0L)
                        + counts.getOrDefault(DUPLICATES, 0L);
        FeedbackAccount account = account(player, counts);
        long reached =
                account.heldOut()
                        + account.trainedOn()
                        + account.pendingAtEnd()
                        + account.dropped();
        return in == player.feedbackAccepted()
                && placed == in
                && reached == joined
                && trainer.trainer().stats().signalsIn() >= counts.getOrDefault(SIGNALS_OUT, 0L);
    }

    // the player's answers on one side, the signal job's counts on the other
    private static FeedbackAccount account(TrafficPlayer.Stats player, Map<String, Long> counts) {
        return new FeedbackAccount(
                player.feedbackScheduled(),
                player.feedbackAccepted(),
                player.feedbackExpired(),
                player.feedbackDuplicates(),
                player.feedbackFailures(),
                player.feedbackUnsent(),
                player.rejects(),
                counts.getOrDefault(JOINED, 0L),
                counts.getOrDefault("held-out", 0L),
                RunningSignalJob.adapterCount(counts, ADAPTER, "examples-trained"),
                RunningSignalJob.adapterCount(counts, ADAPTER, "examples-pending"),
                counts.getOrDefault("dead-lettered-late", 0L),
                counts.getOrDefault("dead-lettered-orphan", 0L),
                counts.getOrDefault("dead-lettered-unknown-label", 0L),
                counts.getOrDefault("dead-lettered-invalid", 0L),
                counts.getOrDefault(DUPLICATES, 0L),
                counts.getOrDefault("examples-dropped-no-label", 0L),
                counts.getOrDefault("examples-dropped-unfit", 0L),
                counts.getOrDefault("examples-dropped-overflow", 0L));
    }

    private LoopReport report(
            Accuracy initial,
            Accuracy fin,
            TrafficPlayer.Stats player,
            Map<String, Long> counts,
            FreshnessTracker.Result freshness,
            long startMs) {
        TrainerService service = trainer.trainer();
        List<Double> seconds = new ArrayList<>(freshness.seconds());
        seconds.sort(null);
        return new LoopReport(
                initial.accuracy(),
                fin.accuracy(),
                initial.version(),
                fin.version(),
                scenario.evaluation().size(),
                player.requests(),
                account(player, counts),
                settled(counts, player),
                service.stats().signalsIn(),
                counts.getOrDefault("replay-signals-out", 0L),
                service.stats().steps(),
                service.promotions(),
                service.rollbacks(),
                (System.currentTimeMillis() - startMs) / 1000.0,
                percentile(seconds, 0.50),
                percentile(seconds, 0.99),
                freshness.tagged(),
                seconds.size(),
                freshness.unmatched(),
                freshness.notServed(),
                freshness.unplacedBatches());
    }

    private static Double percentile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return null;
        }
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** Stops every part, the last started first. */
    @Override
    public void close() {
        services.close();
    }

    /** Configures a {@link LocalLoop}; {@link #build()} validates. */
    public static final class Builder {
        private Path dataDir;
        private Path datasetFile;
        private String externalKafka;
        private int gatewayPort = 8080;
        private int registryPort = 8081;
        private int kafkaPort;
        private int schemaRegistryPort;
        private boolean registryAuth = true;
        private String encoderId = "bge-small-q";
        private double requestsPerSecond = 10;
        private double feedbackShare = 0.8;
        private Duration feedbackDelay = Duration.ofSeconds(2);
        private double feedbackDelaySpread = 1.2;
        private Duration feedbackDelayCap = Duration.ofMinutes(5);
        private Duration requestTtl = Duration.ofMinutes(3);
        private Duration drainTime = Duration.ofSeconds(30);
        private double rejectShare = 0.2;
        private double noiseShare = 0.05;
        private double tagShare = 0.2;
        private double evaluationShare = 0.2;
        private Duration settleTime = Duration.ofSeconds(30);
        private long seed = 7;
        private final Map<String, Object> overrides = new LinkedHashMap<>();

        private Builder() {}

        /** Where runs, the data set and cached embeddings are kept; required. */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** A UCI-style JSONL file (text, label, domain) to use instead of fetching the data set. */
        public Builder datasetFile(Path file) {
            this.datasetFile = file;
            return this;
        }

        /** Bootstrap servers of an external Kafka; the loop then runs only its schema registry. */
        public Builder externalKafka(String bootstrapServers) {
            this.externalKafka = bootstrapServers;
            return this;
        }

        /** Gateway HTTP port; 8080 by default, 0 for any free port. */
        public Builder gatewayPort(int port) {
            this.gatewayPort = port;
            return this;
        }

        /** Model registry HTTP port; 8081 by default, 0 for any free port. */
        public Builder registryPort(int port) {
            this.registryPort = port;
            return this;
        }

        /** Kafka port of the embedded platform; 0 (default) for any free port. */
        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        /** Schema registry port; 0 (default) for any free port. */
        public Builder schemaRegistryPort(int port) {
            this.schemaRegistryPort = port;
            return this;
        }

        /** Whether registry writes need a generated token (true by default). */
        public Builder registryAuth(boolean enabled) {
            this.registryAuth = enabled;
            return this;
        }

        /** The frozen encoder: {@code bge-small-q} (default), {@code minilm}, {@code minilm-q}. */
        public Builder encoderId(String id) {
            this.encoderId = Objects.requireNonNull(id, "id");
            return this;
        }

        /** Predict requests per second; 10 by default. */
        public Builder requestsPerSecond(double rate) {
            this.requestsPerSecond = rate;
            return this;
        }

        /** Share of requests that get feedback; 0.8 by default. */
        public Builder feedbackShare(double share) {
            this.feedbackShare = share;
            return this;
        }

        /** Median feedback delay (log-normal, see {@link TrafficPlayer}); 2 s by default. */
        public Builder feedbackDelay(Duration median) {
            this.feedbackDelay = Objects.requireNonNull(median, "median");
            return this;
        }

        /** Standard deviation of the log of the feedback delay; 1.2 by default. */
        public Builder feedbackDelaySpread(double sigma) {
            this.feedbackDelaySpread = sigma;
            return this;
        }

        /** Longest feedback delay; 5 minutes by default. */
        public Builder feedbackDelayCap(Duration cap) {
            this.feedbackDelayCap = Objects.requireNonNull(cap, "cap");
            return this;
        }

        /**
         * How long the gateway accepts feedback for a request ({@code gateway.request.ttl.ms});
         * later feedback is refused as expired. 3 minutes by default.
         */
        public Builder requestTtl(Duration ttl) {
            this.requestTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * How long, after traffic, feedback still due is sent; what is due later is dropped and
         * counted as unsent. 30 s by default.
         */
        public Builder drainTime(Duration time) {
            this.drainTime = Objects.requireNonNull(time, "time");
            return this;
        }

        /** Share of wrong predictions answered with a REJECT; 0.2 by default. */
        public Builder rejectShare(double share) {
            this.rejectShare = share;
            return this;
        }

        /** Share of feedback labels flipped; 0.05 by default. */
        public Builder noiseShare(double share) {
            this.noiseShare = share;
            return this;
        }

        /** Share of feedback events tagged for freshness; 0.2 by default. */
        public Builder tagShare(double share) {
            this.tagShare = share;
            return this;
        }

        /**
         * Longest wait after traffic for the counts to settle and the gateway to serve the last
         * promoted version; 30 s by default.
         */
        public Builder settleTime(Duration time) {
            this.settleTime = Objects.requireNonNull(time, "time");
            return this;
        }

        /** Seed of the traffic order, the first adapter and the feedback choices; 7 by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Overrides a key of the trainer ({@code trainer.*}) or the signal job ({@code signal.*},
         * {@code join.*}, {@code holdout.share}, {@code job.*}).
         */
        public Builder set(String key, Object value) {
            overrides.put(key, value);
            return this;
        }

        /** Returns the loop, not yet started; names the setting that is invalid. */
        public LocalLoop build() {
            if (dataDir == null) {
                throw new IllegalStateException(
                        "LocalLoop needs a data directory; call dataDir(path)");
            }
            for (int port : new int[] {gatewayPort, registryPort, kafkaPort, schemaRegistryPort}) {
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
                }
            }
            if (!(evaluationShare > 0 && evaluationShare < 1)) {
                throw new IllegalArgumentException(
                        "evaluation share must be in (0, 1), was " + evaluationShare);
            }
            if (!(feedbackDelaySpread >= 0 && feedbackDelaySpread <= 4)) {
                throw new IllegalArgumentException(
                        "feedback delay spread must be in [0, 4], was " + feedbackDelaySpread);
            }
            if (feedbackDelay.isNegative() || feedbackDelayCap.compareTo(feedbackDelay) < 0) {
                throw new IllegalArgumentException(
                        "feedback delay median "
                                + feedbackDelay
                                + " must be at least 0 and at most the cap "
                                + feedbackDelayCap);
            }
            if (requestTtl.isNegative() || requestTtl.isZero() || drainTime.isNegative()) {
                throw new IllegalArgumentException(
                        "request TTL must be positive and drain time not negative, were "
                                + requestTtl
                                + " and "
                                + drainTime);
            }
            new TrainerConfig(trainerCheck());
            SignalJobConfig.from(jobCheck());
            return new LocalLoop(this);
        }

        private Map<String, Object> trainerCheck() {
            Map<String, Object> config = new HashMap<>(TRAINER_DEFAULTS);
            config.putAll(overrides);
            config.put(TrainerConfig.ADAPTER_NAME, ADAPTER);
            config.put(ClusterConnection.BOOTSTRAP_SERVERS, "localhost:9092");
            config.put(ClusterConnection.SCHEMA_REGISTRY_URL, "http://localhost:8085");
            return config;
        }

        private Map<String, Object> jobCheck() {
            Map<String, Object> config = new HashMap<>(JOB_DEFAULTS);
            config.putAll(overrides);
            config.put(ClusterConnection.BOOTSTRAP_SERVERS, "localhost:9092");
            config.put(ClusterConnection.SCHEMA_REGISTRY_URL, "http://localhost:8085");
            return config;
        }
    }
}
