package io.forwardloop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicSetupIT {
    @TempDir static Path dataDir;
    static EmbeddedKafka kafka;
    static Admin admin;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.builder().dataDir(dataDir).build().start();
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    @AfterAll
    static void stopKafka() {
        admin.close();
        kafka.close();
    }

    @Test
    void shouldCreateMissingTopicsAndKeepMatchingOnes() {
        TopicSetup setup = TopicSetup.builder().build();
        TopicSpec first =
                new TopicSpec("setup-a", 2, (short) 1, Map.of("cleanup.policy", "compact"));
        TopicSpec second = new TopicSpec("setup-b", 1, (short) 1, Map.of("retention.ms", "-1"));

        TopicSetup.Result created = setup.apply(admin, List.of(first));
        TopicSetup.Result again = setup.apply(admin, List.of(first, second));

        assertThat(created.created()).containsExactly("setup-a");
        assertThat(again.created()).containsExactly("setup-b");
        assertThat(again.existing()).containsExactly("setup-a");
    }

    @Test
    void shouldReportEveryDifferenceOfAnExistingTopicWithoutChangingIt() throws Exception {
        admin.createTopics(List.of(new NewTopic("setup-drifted", 1, (short) 1))).all().get();
        TopicSpec declared =
                new TopicSpec("setup-drifted", 3, (short) 1, Map.of("cleanup.policy", "compact"));

        assertThatThrownBy(() -> TopicSetup.builder().build().apply(admin, List.of(declared)))
                .isInstanceOf(TopicMismatchException.class)
                .hasMessageContaining("setup-drifted: partitions is 1, declared 3")
                .hasMessageContaining("setup-drifted: cleanup.policy is delete, declared compact");
        assertThat(admin.describeTopics(List.of("setup-drifted")).allTopicNames().get())
                .extractingByKey("setup-drifted")
                .satisfies(d -> assertThat(d.partitions()).hasSize(1));
    }

    @Test
    void shouldApplyThePartitionOverrideToEveryDeclaredTopic() {
        List<TopicSpec> specs = TopicSetup.builder().partitions(2).build().specs();

        assertThat(specs).isNotEmpty().allSatisfy(s -> assertThat(s.partitions()).isEqualTo(2));
    }

    @Test
    void shouldRejectAReplicationFactorBelowOne() {
        assertThatThrownBy(() -> TopicSetup.builder().replicationFactor(0))
                .hasMessageContaining("replication factor must be at least 1, was 0");
    }
}
