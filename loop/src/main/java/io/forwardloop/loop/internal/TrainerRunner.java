package io.forwardloop.loop.internal;

import io.forwardloop.trainer.TrainerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a started trainer's poll rounds on its own thread; {@link #close()} stops and closes it. */
public final class TrainerRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerRunner.class);

    private final TrainerService trainer;
    private final Thread thread;
    private volatile boolean running = true;

    public TrainerRunner(TrainerService trainer) {
        this.trainer = trainer;
        this.thread = new Thread(this::run, "trainer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (running) {
                trainer.runOnce();
            }
        } catch (RuntimeException e) {
            LOG.error("Trainer stopped: {}", e.toString(), e);
        }
    }

    public TrainerService trainer() {
        return trainer;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trainer.close();
    }
}
