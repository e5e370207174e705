package io.forwardloop.loop;

import com.fasterxml.jackson.databind.JsonNode;
import io.forwardloop.datasets.LabeledText;
import io.forwardloop.loop.internal.GatewayHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays production traffic through a gateway's HTTP API: labeled sentences sent as predict requests
 * at a bounded rate, and for a share of them feedback after a delay.
 *
 * <p>Feedback is a LABEL with the true label, except that a share of the labels is flipped (label
 * noise) and, where the prediction was wrong, a share is a REJECT of the predicted label instead.
 * Feedback delays are heavy-tailed, as people answer: log-normal with the configured median and
 * spread (the standard deviation of the log), capped. With a median of seconds most feedback comes
 * within seconds and a tail within minutes, some of it after the signal job's join wait (late) or
 * after the gateway stopped holding the request (refused as expired, 410). A share of the feedback
 * events is tagged: their request id and the time the gateway accepted them are kept for measuring
 * the freshness of learning. The sentences are played in order, cycling.
 *
 * <p>One scheduler thread sends everything, so requests and feedback reach the gateway in the order
 * they were scheduled.
 */
public final class TrafficPlayer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrafficPlayer.class);

    private final Builder settings;
    private final GatewayHttp gateway;
    private final SplittableRandom random;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Long> tagged = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong feedbackFailures = new AtomicLong();
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicLong rejects = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean playing;
    private int next;

    /**
     * What the player has done so far.
     *
     * @param requests predict requests answered
     * @param feedbackScheduled feedback events scheduled
     * @param feedbackAccepted feedback the gateway accepted and logged (202)
     * @param feedbackExpired feedback the gateway refused as expired (410)
     * @param feedbackDuplicates feedback the gateway recognised as a repeat (200)
     * @param feedbackFailures feedback calls that failed otherwise
     * @param feedbackUnsent scheduled feedback dropped unsent when the player closed
     * @param rejects accepted feedback events that were rejections
     * @param failures predict calls that failed
     */
    public record Stats(
            long requests,
            long feedbackScheduled,
            long feedbackAccepted,
            long feedbackExpired,
            long feedbackDuplicates,
            long feedbackFailures,
            long feedbackUnsent,
            long rejects,
            long failures) {
        /** Scheduled feedback neither answered by the gateway nor dropped yet. */
        public long feedbackOutstanding() {
            return feedbackScheduled
                    - feedbackAccepted
                    - feedbackExpired
                    - feedbackDuplicates
                    - feedbackFailures
                    - feedbackUnsent;
        }
    }

    private TrafficPlayer(Builder builder) {
        this.settings = builder;
        this.gateway = new GatewayHttp(builder.gatewayUrl, builder.adapter);
        this.random = new SplittableRandom(builder.seed);
        this.scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread thread = new Thread(r, "traffic-player");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts sending requests at the configured rate. */
    public TrafficPlayer start() {
        playing = true;
        long periodMicros = Math.round(1_000_000 / settings.requestsPerSecond);
        scheduler.scheduleAtFixedRate(this::request, 0, periodMicros, TimeUnit.MICROSECONDS);
        LOG.info(
                "Playing {} sentences to {} at {} requests/s, feedback on {} after a median {}"
                        + " (log-normal, spread {}, at most {})",
                settings.texts.size(),
                settings.gatewayUrl,
                settings.requestsPerSecond,
                settings.feedbackShare,
                settings.feedbackDelay,
                settings.feedbackDelaySpread,
                settings.feedbackDelayCap);
        return this;
    }

    /** Stops sending new requests; feedback already scheduled is still sent. */
    public void stopRequests() {
        playing = false;
    }

    /** Stops requests and waits up to {@code timeout} until all scheduled feedback was sent. */
    public boolean drain(Duration timeout) throws InterruptedException {
        stopRequests();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stats().feedbackOutstanding() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return stats().feedbackOutstanding() <= 0;
    }

    public Stats stats() {
        return new Stats(
                requests.get(),
                scheduled.get(),
                accepted.get(),
                expired.get(),
                duplicates.get(),
                feedbackFailures.get(),
                unsent.get(),
                rejects.get(),
                failures.get());
    }

    /** Tagged feedback events: request id to the epoch milliseconds the gateway accepted it. */
    public Map<String, Long> tagged() {
        return tagged;
    }

    private void request() {
        if (!playing) {
            return;
        }
        LabeledText text = settings.texts.get(next);
        next = (next + 1) % settings.texts.size();
        try {
            GatewayHttp.Answer answer = gateway.predict(text.text());
            if (answer.status() != 200) {
                failures.incrementAndGet();
                LOG.debug("Predict answered {}: {}", answer.status(), answer.body());
                return;
            }
            requests.incrementAndGet();
            if (random.nextDouble() < settings.feedbackShare) {
                scheduleFeedback(answer.body(), text);
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.debug("Predict failed: {}", e.toString());
        }
    }

    private void scheduleFeedback(JsonNode prediction, LabeledText text) {
        String requestId = prediction.path("request_id").asText();
        String predicted = prediction.path("label").asText();
        String label = text.label();
        if (random.nextDouble() < settings.noiseShare) {
            label = otherLabel(label);
        }
        boolean reject = !predicted.equals(label) && random.nextDouble() < settings.rejectShare;
        boolean tag = random.nextDouble() < settings.tagShare;
        long delayMs = delayMs(random.nextGaussian());
        String trueLabel = label;
        scheduled.incrementAndGet();
        scheduler.schedule(
                () ->
                        sendFeedback(
                                requestId,
                                reject ? "reject" : "label",
                                reject ? predicted : trueLabel,
                                tag),
                delayMs,
                TimeUnit.MILLISECONDS);
    }

    /** The feedback delay for a standard normal draw {@code z}: log-normal, capped. */
    long delayMs(double z) {
        double median = settings.feedbackDelay.toMillis();
        double delay = median * Math.exp(settings.feedbackDelaySpread * z);
        return Math.round(Math.min(delay, settings.feedbackDelayCap.toMillis()));
    }

    private String otherLabel(String label) {
        List<String> labels = settings.labels;
        int index = labels.indexOf(label);
        return labels.get((index + 1 + random.nextInt(labels.size() - 1)) % labels.size());
    }

    private void sendFeedback(String requestId, String kind, String label, boolean tag) {
        try {
            GatewayHttp.Answer answer = gateway.feedback(requestId, kind, label);
            switch (answer.status()) {
                case 202 -> {
                    accepted.incrementAndGet();
                    rejects.addAndGet("reject".equals(kind) ? 1 : 0);
                    if (tag) {
                        tagged.put(requestId, System.currentTimeMillis());
                    }
                }
                case 410 -> expired.incrementAndGet();
                case 200 -> duplicates.incrementAndGet();
                default -> {
                    feedbackFailures.incrementAndGet();
                    LOG.warn(
                            "Feedback for {} answered {}: {}",
                            requestId,
                            answer.status(),
                            answer.body());
                }
            }
        } catch (RuntimeException e) {
            feedbackFailures.incrementAndGet();
            LOG.warn("Feedback for {} failed: {}", requestId, e.toString());
        }
    }

    /** Stops everything at once, like {@link #finish()}. */
    @Override
    public void close() {
        finish();
    }

    /**
     * Stops requests and feedback at once; feedback not yet sent is dropped and counted as unsent.
     * Safe to call more than once.
     */
    public void finish() {
        playing = false;
        if (scheduler.isShutdown()) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        unsent.set(Math.max(0, stats().feedbackOutstanding()));
    }

    /** Configures a {@link TrafficPlayer}; {@link #build()} validates. */
    public static final class Builder {
        private String gatewayUrl;
        private String adapter = "sentiment";
        private List<String> labels = List.of("negative", "positive");
        private List<LabeledText> texts = List.of();
        private double requestsPerSecond = 10;
        private double feedbackShare = 0.8;
        private Duration feedbackDelay = Duration.ofSeconds(2);
        private double feedbackDelaySpread = 1.0;
        private Duration feedbackDelayCap = Duration.ofMinutes(5);
        private double rejectShare = 0.2;
        private double noiseShare = 0.05;
        private double tagShare = 0.1;
        private long seed = 7;

        private Builder() {}

        /** The gateway's base URL, such as {@code http://127.0.0.1:8080}; required. */
        public Builder gatewayUrl(String url) {
            this.gatewayUrl = url;
            return this;
        }

        /** The adapter the requests name, and its label set. */
        public Builder adapter(String name, List<String> labels) {
            this.adapter = name;
            this.labels = List.copyOf(labels);
            return this;
        }

        /** The sentences to play, in order; required. */
        public Builder texts(List<LabeledText> texts) {
            this.texts = List.copyOf(texts);
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

        /** Median delay of feedback; 2 s by default. */
        public Builder feedbackDelay(Duration median) {
            this.feedbackDelay = Objects.requireNonNull(median, "median");
            return this;
        }

        /** Standard deviation of the log of the feedback delay; 1.0 by default. */
        public Builder feedbackDelaySpread(double sigma) {
            this.feedbackDelaySpread = sigma;
            return this;
        }

        /** Longest feedback delay; 5 minutes by default. */
        public Builder feedbackDelayCap(Duration cap) {
            this.feedbackDelayCap = Objects.requireNonNull(cap, "cap");
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

        /** Share of feedback events tagged for freshness; 0.1 by default. */
        public Builder tagShare(double share) {
            this.tagShare = share;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Returns the player, not yet started; names the setting that is invalid. */
        public TrafficPlayer build() {
            if (gatewayUrl == null || texts.isEmpty()) {
                throw new IllegalStateException("a traffic player needs a gateway URL and texts");
            }
            share("feedback share", feedbackShare);
            share("reject share", rejectShare);
            share("noise share", noiseShare);
            share("tag share", tagShare);
            if (!(requestsPerSecond > 0 && requestsPerSecond <= 1000)) {
                throw new IllegalArgumentException(
                        "requests per second must be in (0, 1000], was " + requestsPerSecond);
            }
            if (feedbackDelay.isNegative() || feedbackDelayCap.compareTo(feedbackDelay) < 0) {
                throw new IllegalArgumentException(
                        "feedback delay median must be in [0, cap "
                                + feedbackDelayCap
                                + "], was "
                                + feedbackDelay);
            }
            if (!(feedbackDelaySpread >= 0 && feedbackDelaySpread <= 4)) {
                throw new IllegalArgumentException(
                        "feedback delay spread must be in [0, 4], was " + feedbackDelaySpread);
            }
            return new TrafficPlayer(this);
        }

        private static void share(String name, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
            }
        }
    }
}
