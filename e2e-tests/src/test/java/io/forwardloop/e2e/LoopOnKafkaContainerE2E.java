package io.forwardloop.e2e;

import io.forwardloop.loop.LocalLoop;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same scenario as {@link LoopE2E} against a Kafka broker in a container; skipped where no
 * Docker engine is reachable.
 */
@Testcontainers(disabledWithoutDocker = true)
class LoopOnKafkaContainerE2E {
    @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.4.0");

    @TempDir Path dir;

    @Test
    void shouldServeANewerBetterAdapterOnAContainerisedBroker() throws Exception {
        try (LocalLoop loop =
                LoopScenario.loop(dir).externalKafka(KAFKA.getBootstrapServers()).build().start()) {
            LoopScenario.runAndCheck(loop);
        }
    }
}
