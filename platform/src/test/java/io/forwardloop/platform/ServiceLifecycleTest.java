package io.forwardloop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServiceLifecycleTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** A service that runs until closed, or until {@link #fail} ends it. */
    private static final class Demo implements ServiceLifecycle.Service {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Throwable failure;
        private volatile boolean closed;

        @Override
        public int port() {
            return 4242;
        }

        @Override
        public Throwable awaitTermination() throws InterruptedException {
            done.await();
            return failure;
        }

        void fail(String message) {
            failure = new IllegalStateException(message);
            done.countDown();
        }

        @Override
        public void close() {
            closed = true;
            done.countDown();
        }
    }

    private CompletableFuture<Integer> run(ServiceLifecycle<Demo> lifecycle, Demo demo) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return lifecycle.run(
                                () -> demo,
                                s -> "demo on port " + s.port(),
                                new PrintWriter(out, true),
                                new PrintWriter(err, true));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    @Test
    void shouldPrintTheBannerAndExitZeroAfterAStop() throws Exception {
        ServiceLifecycle<Demo> lifecycle = new ServiceLifecycle<>("demo");
        Demo demo = new Demo();
        CompletableFuture<Integer> exit = run(lifecycle, demo);

        assertThat(lifecycle.awaitStarted()).isEqualTo(4242);
        lifecycle.stop();

        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(demo.closed).isTrue();
        assertThat(out.toString()).contains("demo on port 4242");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldExitOneAndNameTheFailure() throws Exception {
        ServiceLifecycle<Demo> lifecycle = new ServiceLifecycle<>("demo");
        Demo demo = new Demo();
        CompletableFuture<Integer> exit = run(lifecycle, demo);

        lifecycle.awaitStarted();
        demo.fail("broker gone");

        assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(err.toString()).contains("demo: broker gone");
        assertThat(demo.closed).as("closed after the failure").isTrue();
    }

    @Test
    void shouldExitOneWhenTheServiceCannotStart() throws Exception {
        ServiceLifecycle<Demo> lifecycle = new ServiceLifecycle<>("demo");

        int exit =
                lifecycle.run(
                        () -> {
                            throw new IllegalStateException("port 8083 is taken");
                        },
                        s -> "never",
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("demo: port 8083 is taken");
        assertThat(lifecycle.awaitStarted()).isEqualTo(-1);
    }

    @Test
    void shouldReleaseWaitersWhenAbandoned() throws Exception {
        ServiceLifecycle<Demo> lifecycle = new ServiceLifecycle<>("demo");

        lifecycle.abandon();

        assertThat(lifecycle.awaitStarted()).isEqualTo(-1);
    }
}
