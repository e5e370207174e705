package io.forwardloop.ingest.gateway.internal;

import io.forwardloop.ingest.adapters.AdapterLease;
import io.forwardloop.ingest.adapters.AdapterRegistry;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.gateway.Prediction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic micro-batching across concurrent requests: each of {@code workers} threads takes waiting
 * texts, up to the maximum batch size or until the first has waited the maximum wait, runs the
 * encoder on the batch, then each adapter of the batch on its texts in one ONNX Runtime run, and
 * hands the results to an answer thread, which completes the texts' futures (and so runs what the
 * HTTP layer chained to them) while the worker takes the next batch.
 *
 * <p>A request's texts are queued all or none: {@link #submitAll} reserves room for every text of
 * the request at once, or refuses the request with {@link OverloadedException} and queues nothing.
 * When the encoder or an adapter fails on a batch, its texts are run again one by one, so only the
 * text that fails gets the error and the other texts of the batch, other clients' included, are
 * answered.
 *
 * <p>Meters: {@code gateway.batch.size} (texts per batch), {@code gateway.queue.texts} (texts
 * waiting), the stage timers {@code gateway.batch.queue.wait} (per text, queued to batch start),
 * {@code gateway.batch.encode} and {@code gateway.batch.score} (per batch), and {@code
 * gateway.batch.retried} (batches run again one text at a time).
 */
public final class MicroBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

    private final Encoder encoder;
    private final AdapterRegistry adapters;
    private final int maxSize;
    private final long maxWaitNanos;
    private final int queueCapacity;
    private final Semaphore room;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final DistributionSummary batchSizes;
    private final Timer queueWait;
    private final Timer encodeTime;
    private final Timer scoreTime;
    private final Counter retried;
    private final List<Thread> workers = new ArrayList<>();
    private final ExecutorService answers;
    private volatile boolean running = true;

    /** A text waiting for its batch. */
    private record Pending(
            String requestId,
            String adapter,
            String text,
            long enqueuedNanos,
            CompletableFuture<Prediction> result) {}

    /** The queue has no room for the request: the gateway is overloaded. */
    public static final class OverloadedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OverloadedException(String message) {
            super(message);
        }
    }

    public MicroBatcher(
            Encoder encoder,
            AdapterRegistry adapters,
            int maxSize,
            long maxWaitMs,
            int workerCount,
            int queueCapacity,
            MeterRegistry meters) {
        this.encoder = encoder;
        this.adapters = adapters;
        this.maxSize = maxSize;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.queueCapacity = queueCapacity;
        this.room = new Semaphore(queueCapacity);
        this.batchSizes = DistributionSummary.builder("gateway.batch.size").register(meters);
        this.queueWait = Timer.builder("gateway.batch.queue.wait").register(meters);
        this.encodeTime = Timer.builder("gateway.batch.encode").register(meters);
        this.scoreTime = Timer.builder("gateway.batch.score").register(meters);
        this.retried = meters.counter("gateway.batch.retried");
        meters.gauge("gateway.queue.texts", room, r -> queued());
        this.answers = Executors.newFixedThreadPool(workerCount, daemon("gateway-answer-"));
        ThreadFactory threads = daemon("gateway-batcher-");
        for (int i = 0; i < workerCount; i++) {
            Thread worker = threads.newThread(this::run);
            workers.add(worker);
            worker.start();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Queues one text for {@code adapter}.
     *
     * @throws OverloadedException when the queue is full
     */
    public CompletableFuture<Prediction> submit(String requestId, String adapter, String text) {
        return submitAll(List.of(requestId), adapter, List.of(text)).get(0);
    }

    /**
     * Queues every text of one request for {@code adapter}, or none of them.
     *
     * @param requestIds one id per text
     * @return one future per text, in order
     * @throws OverloadedException when the queue has no room for all of them; nothing is queued
     */
    public List<CompletableFuture<Prediction>> submitAll(
            List<String> requestIds, String adapter, List<String> texts) {
        if (requestIds.size() != texts.size()) {
            throw new IllegalArgumentException(
                    requestIds.size() + " request ids for " + texts.size() + " texts");
        }
        if (!running || !room.tryAcquire(texts.size())) {
            throw overloaded(texts.size());
        }
        long now = System.nanoTime();
        List<CompletableFuture<Prediction>> results = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            CompletableFuture<Prediction> result = new CompletableFuture<>();
            queue.add(new Pending(requestIds.get(i), adapter, texts.get(i), now, result));
            results.add(result);
        }
        return results;
    }

    private OverloadedException overloaded(int texts) {
        if (!running) {
            return new OverloadedException("the gateway is shutting down; retry on another one");
        }
        return new OverloadedException(
                queued()
                        + " texts are waiting for a batch and this request brings "
                        + texts
                        + ", over the limit of "
                        + queueCapacity
                        + " (gateway.queue.max.texts); retry shortly");
    }

    /** How many texts wait for a batch. */
    public int queued() {
        return queueCapacity - room.availablePermits();
    }

    @Override
    public void close() {
        running = false;
        workers.forEach(Thread::interrupt);
        try {
            for (Thread worker : workers) {
                worker.join(10_000);
            }
            answers.shutdown();
            answers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.result().completeExceptionally(overloaded(1)));
    }

    private void run() {
        while (running) {
            try {
                process(nextBatch());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<Pending> nextBatch() throws InterruptedException {
        List<Pending> batch = new ArrayList<>(maxSize);
        Pending first = queue.take();
        batch.add(first);
        long deadline = first.enqueuedNanos() + maxWaitNanos;
        while (batch.size() < maxSize) {
            if (queue.drainTo(batch, maxSize - batch.size()) > 0) {
                continue;
            }
            long left = deadline - System.nanoTime();
            Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        room.release(batch.size());
        return batch;
    }

    private void process(List<Pending> batch) {
        long start = System.nanoTime();
        batchSizes.record(batch.size());
        batch.forEach(p -> queueWait.record(start - p.enqueuedNanos(), TimeUnit.NANOSECONDS));
        List<Runnable> completions = new ArrayList<>(batch.size());
        try {
            float[][] activations = encode(batch, completions);
            long encoded = System.nanoTime();
            encodeTime.record(encoded - start, TimeUnit.NANOSECONDS);
            for (Map.Entry<String, List<Integer>> group :
                    byAdapter(batch, activations).entrySet()) {
                score(group.getKey(), group.getValue(), batch, activations, completions);
            }
            scoreTime.record(System.nanoTime() - encoded, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            LOG.error("a batch of {} texts failed: {}", batch.size(), e.toString(), e);
            batch.forEach(p -> completions.add(() -> p.result().completeExceptionally(e)));
        }
        answer(completions);
    }

    /**
     * The batch's activations; when the batch fails, each text is encoded alone, and a text that
     * fails then gets its error and a null row.
     */
    private float[][] encode(List<Pending> batch, List<Runnable> completions) {
        List<String> texts = batch.stream().map(Pending::text).toList();
        try {
            return encoder.embed(texts);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                failed(batch.get(0), "encoding", e, completions);
                return new float[1][];
            }
            retrying("encoding", batch.size(), e);
            float[][] activations = new float[batch.size()][];
            for (int i = 0; i < batch.size(); i++) {
                try {
                    activations[i] = encoder.embed(List.of(texts.get(i)))[0];
                } catch (RuntimeException alone) {
                    failed(batch.get(i), "encoding", alone, completions);
                }
            }
            return activations;
        }
    }

    private void retrying(String stage, int size, RuntimeException e) {
        retried.increment();
        LOG.warn("{} a batch of {} texts failed ({}); running them one by one", stage, size, e);
    }

    private static void failed(
            Pending p, String stage, RuntimeException e, List<Runnable> completions) {
        LOG.error("{} the text of request {} failed: {}", stage, p.requestId(), e.toString(), e);
        completions.add(() -> p.result().completeExceptionally(e));
    }

    /** Answers the futures off the worker thread, so the worker takes the next batch. */
    private void answer(List<Runnable> completions) {
        try {
            answers.execute(() -> completions.forEach(Runnable::run));
        } catch (RejectedExecutionException e) {
            completions.forEach(Runnable::run);
        }
    }

    /** The indexes of the encoded texts of each adapter, in batch order. */
    private static Map<String, List<Integer>> byAdapter(
            List<Pending> batch, float[][] activations) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            if (activations[i] != null) {
                groups.computeIfAbsent(batch.get(i).adapter(), a -> new ArrayList<>()).add(i);
            }
        }
        return groups;
    }

    private void score(
            String adapter,
            List<Integer> members,
            List<Pending> batch,
            float[][] activations,
            List<Runnable> completions) {
        float[][] inputs = new float[members.size()][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = activations[members.get(i)];
        }
        try (AdapterLease lease = adapters.acquire(adapter)) {
            List<Pending> group = members.stream().map(batch::get).toList();
            scoreOnLease(lease, group, inputs, completions);
        } catch (RuntimeException e) {
            members.forEach(
                    m -> completions.add(() -> batch.get(m).result().completeExceptionally(e)));
        }
    }

    /** Scores a group in one run; when that fails, text by text. */
    private void scoreOnLease(
            AdapterLease lease, List<Pending> group, float[][] inputs, List<Runnable> completions) {
        float[][] scores;
        try {
            scores = lease.score(inputs);
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                failed(group.get(0), "scoring", e, completions);
                return;
            }
            retrying("scoring", group.size(), e);
            for (int i = 0; i < group.size(); i++) {
                scoreOnLease(lease, List.of(group.get(i)), new float[][] {inputs[i]}, completions);
            }
            return;
        }
        long now = System.currentTimeMillis();
        for (int i = 0; i < inputs.length; i++) {
            completions.add(complete(group.get(i), lease, inputs[i], scores[i], now));
        }
    }

    private static Runnable complete(
            Pending p, AdapterLease lease, float[] activation, float[] scores, long now) {
        String label = lease.adapter().labels().get(argmax(scores));
        Prediction prediction =
                new Prediction(
                        p.requestId(), p.text(), lease.adapter(), activation, scores, label, now);
        return () -> p.result().complete(prediction);
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
