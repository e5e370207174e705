package io.forwardloop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {
    @TempDir Path dataDir;

    @Test
    void shouldServeProducersAndConsumers() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir).build().start()) {
            KafkaRoundTrip.createTopic(kafka.bootstrapServers(), "greetings");
            KafkaRoundTrip.produce(kafka.bootstrapServers(), "greetings", List.of("a", "b", "c"));

            assertThat(KafkaRoundTrip.consume(kafka.bootstrapServers(), "greetings", 3))
                    .containsExactly("a", "b", "c");
        }
    }

    @Test
    void shouldKeepTopicsRecordsAndClusterIdWhenRestartedOnTheSameDataDir() throws Exception {
        String clusterId;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir).build().start()) {
            clusterId = kafka.clusterId();
            KafkaRoundTrip.createTopic(kafka.bootstrapServers(), "kept");
            KafkaRoundTrip.produce(kafka.bootstrapServers(), "kept", List.of("one", "two"));
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir).build().start()) {
            assertThat(kafka.clusterId()).isEqualTo(clusterId);
            assertThat(topics(kafka)).contains("kept");
            assertThat(KafkaRoundTrip.consume(kafka.bootstrapServers(), "kept", 2))
                    .containsExactly("one", "two");
        }
    }

    @Test
    void shouldRefuseToStartTwice() {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir).build().start()) {
            assertThatThrownBy(kafka::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already started");
        }
    }

    @Test
    void shouldRequireADataDir() {
        assertThatThrownBy(() -> EmbeddedKafka.builder().build()).hasMessageContaining("dataDir");
    }

    private static java.util.Set<String> topics(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listTopics().names().get();
        }
    }
}
