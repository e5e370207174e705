package io.forwardloop.ingest.gateway.internal;

import io.forwardloop.ingest.adapters.AdapterLease;
import io.forwardloop.ingest.adapters.AdapterRegistry;
import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.gateway.Prediction;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 * <p>Stage timers: {@code gateway.batch.queue.wait} (per text, queued to batch start), {@code
 * gateway.batch.encode} and {@code gateway.batch.score} (per batch).
 */
public final class MicroBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

    private final Encoder encoder;
    private final AdapterRegistry adapters;
    private final int maxSize;
    private final long maxWaitNanos;
    private final BlockingQueue<Pending> queue;
    private final DistributionSummary batchSizes;
    private final Timer queueWait;
    private final Timer encodeTime;
    private final Timer scoreTime;
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

    /** The queue was full: the gateway is overloaded. */
    public static final class OverloadedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OverloadedException(int capacity) {
            super(capacity + " texts are waiting for a batch; retry shortly");
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
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.batchSizes = DistributionSummary.builder("gateway.batch.size").register(meters);
        this.queueWait = Timer.builder("gateway.batch.queue.wait").register(meters);
        this.encodeTime = Timer.builder("gateway.batch.encode").register(meters);
        this.scoreTime = Timer.builder("gateway.batch.score").register(meters);
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
        CompletableFuture<Prediction> result = new CompletableFuture<>();
        if (!running
                || !queue.offer(new Pending(requestId, adapter, text, System.nanoTime(), result))) {
            throw new OverloadedException(queue.size());
        }
        return result;
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
        left.forEach(p -> p.result().completeExceptionally(new OverloadedException(0)));
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
        return batch;
    }

    private void process(List<Pending> batch) {
        long start = System.nanoTime();
        batchSizes.record(batch.size());
        batch.forEach(p -> queueWait.record(start - p.enqueuedNanos(), TimeUnit.NANOSECONDS));
        List<Runnable> completions = new ArrayList<>(batch.size());
        try {
            float[][] activations = encoder.embed(batch.stream().map(Pending::text).toList());
            long encoded = System.nanoTime();
            encodeTime.record(encoded - start, TimeUnit.NANOSECONDS);
            for (Map.Entry<String, List<Integer>> group : byAdapter(batch).entrySet()) {
                score(group.getKey(), group.getValue(), batch, activations, completions);
            }
            scoreTime.record(System.nanoTime() - encoded, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            LOG.error("a batch of {} texts failed: {}", batch.size(), e.toString(), e);
            batch.forEach(p -> completions.add(() -> p.result().completeExceptionally(e)));
        }
        answer(completions);
    }

    /** Completes the futures off the worker thread, so the worker takes the next batch. */
    private void answer(List<Runnable> completions) {
        try {
            answers.execute(() -> completions.forEach(Runnable::run));
        } catch (RejectedExecutionException e) {
            completions.forEach(Runnable::run);
        }
    }

    private static Map<String, List<Integer>> byAdapter(List<Pending> batch) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            groups.computeIfAbsent(batch.get(i).adapter(), a -> new ArrayList<>()).add(i);
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
            float[][] scores = lease.score(inputs);
            long now = System.currentTimeMillis();
            for (int i = 0; i < inputs.length; i++) {
                Pending p = batch.get(members.get(i));
                String label = lease.adapter().labels().get(argmax(scores[i]));
                Prediction prediction =
                        new Prediction(
                                p.requestId(),
                                p.text(),
                                lease.adapter(),
                                inputs[i],
                                scores[i],
                                label,
                                now);
                completions.add(() -> p.result().complete(prediction));
            }
        } catch (RuntimeException e) {
            members.forEach(
                    m -> completions.add(() -> batch.get(m).result().completeExceptionally(e)));
        }
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
