package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.platform.ClusterConnection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {
    private static Map<String, Object> minimal() {
        Map<String, Object> config = new HashMap<>();
        config.put(TrainerConfig.ADAPTER_NAME, "sentiment");
        config.put(ClusterConnection.BOOTSTRAP_SERVERS, "localhost:9092");
        config.put(ClusterConnection.SCHEMA_REGISTRY_URL, "http://localhost:8081");
        return config;
    }

    @Test
    void shouldApplyDefaultsAndDeriveTheTransactionalId() {
        TrainerConfig config = new TrainerConfig(minimal());

        assertThat(config.method()).isEqualTo(TrainingMethod.ZO);
        assertThat(config.transactionalId()).isEqualTo("forwardloop-trainer-sentiment");
        assertThat(config.zerothOrderSettings().maxStaleness()).isEqualTo(64);
        assertThat(config.zerothOrderSettings().schedule())
                .isEqualTo(LearningRateSchedule.CONSTANT);
        assertThat(config.hiddenSizes()).containsExactly(256);
        assertThat(TrainerConfig.configDef().names())
                .contains(
                        "trainer.learning.rate",
                        "trainer.learning.rate.schedule",
                        "trainer.momentum",
                        "trainer.max.staleness",
                        "trainer.evaluate.interval.steps",
                        "trainer.evaluate.interval.ms",
                        "trainer.holdout.window.size",
                        "trainer.promotion.tolerance",
                        "trainer.rollback.accuracy.threshold",
                        "trainer.publish.interval.ms");
    }

    @Test
    void shouldNameTheKeyOfAnInvalidValue() {
        Map<String, Object> config = minimal();
        config.put(TrainerConfig.SCHEDULE, "linear");

        assertThatThrownBy(() -> new TrainerConfig(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.learning.rate.schedule");
    }

    @Test
    void shouldRequireTheAdapterNameAndAPositiveLearningRate() {
        Map<String, Object> noName = minimal();
        noName.remove(TrainerConfig.ADAPTER_NAME);
        Map<String, Object> zeroRate = minimal();
        zeroRate.put(TrainerConfig.LEARNING_RATE, 0.0);

        assertThatThrownBy(() -> new TrainerConfig(noName))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.adapter.name");
        assertThatThrownBy(() -> new TrainerConfig(zeroRate))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.learning.rate")
                .hasMessageContaining("must be > 0");
    }

    @Test
    void shouldReadTheClusterConnectionKeysWithTheirSecurity() {
        Map<String, Object> values = minimal();
        values.put(ClusterConnection.SECURITY_PROTOCOL, "SASL_SSL");
        values.put(ClusterConnection.SASL_MECHANISM, "SCRAM-SHA-512");
        values.put(ClusterConnection.SASL_JAAS_CONFIG, "login-module-line");

        TrainerConfig config = new TrainerConfig(values);

        assertThat(config.connection().kafkaProperties())
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "login-module-line");
        assertThat(config.connection().serdeConfig())
                .containsEntry("schema.registry.url", "http://localhost:8081");
        assertThat(TrainerConfig.configDef().names())
                .doesNotContain("bootstrap.servers", "schema.registry.url");
    }

    @Test
    void shouldNameTheMissingConnectionKey() {
        Map<String, Object> noKafka = minimal();
        noKafka.remove(ClusterConnection.BOOTSTRAP_SERVERS);
        Map<String, Object> noRegistry = minimal();
        noRegistry.remove(ClusterConnection.SCHEMA_REGISTRY_URL);

        assertThatThrownBy(() -> new TrainerConfig(noKafka))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.bootstrap.servers");
        assertThatThrownBy(() -> new TrainerConfig(noRegistry))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldServeTheServingAliasOnLoopbackAndReadTheRegistrySettings() {
        Map<String, Object> values = minimal();
        TrainerConfig defaults = new TrainerConfig(values);
        values.put(TrainerConfig.REGISTRY_URL, "http://registry:8080");
        values.put(TrainerConfig.REGISTRY_TOKEN, "write-token");
        TrainerConfig set = new TrainerConfig(values);

        assertThat(defaults.getString(TrainerConfig.SERVING_ALIAS)).isEqualTo("serving");
        assertThat(defaults.getString(TrainerConfig.HTTP_HOST)).isEqualTo("127.0.0.1");
        assertThat(defaults.getInt(TrainerConfig.HTTP_PORT)).isEqualTo(8082);
        assertThat(defaults.registryUrl()).isEmpty();
        assertThat(defaults.registryToken()).isNull();
        assertThat(set.registryUrl()).contains("http://registry:8080");
        assertThat(set.registryToken()).isEqualTo("write-token");
        assertThat(set.toString()).doesNotContain("write-token");
    }

    @Test
    void shouldBootstrapAPromotedBaseAndDedupeTenThousandSignalsByDefault() {
        Map<String, Object> values = minimal();
        TrainerConfig defaults = new TrainerConfig(values);
        values.put(TrainerConfig.BOOTSTRAP_PROMOTE, "false");
        values.put(TrainerConfig.DEDUPE_WINDOW_SIGNALS, "0");
        TrainerConfig set = new TrainerConfig(values);

        assertThat(defaults.getBoolean(TrainerConfig.BOOTSTRAP_PROMOTE)).isTrue();
        assertThat(defaults.getInt(TrainerConfig.DEDUPE_WINDOW_SIGNALS)).isEqualTo(10_000);
        assertThat(set.getBoolean(TrainerConfig.BOOTSTRAP_PROMOTE)).isFalse();
        assertThat(set.getInt(TrainerConfig.DEDUPE_WINDOW_SIGNALS)).isZero();
        assertThat(TrainerConfig.configDef().names())
                .contains("trainer.bootstrap.promote", "trainer.dedupe.window.signals");
    }

    @Test
    void shouldNameTheNewKeysOfInvalidValues() {
        Map<String, Object> negativeWindow = minimal();
        negativeWindow.put(TrainerConfig.DEDUPE_WINDOW_SIGNALS, -1);
        Map<String, Object> notBoolean = minimal();
        notBoolean.put(TrainerConfig.BOOTSTRAP_PROMOTE, "sometimes");

        assertThatThrownBy(() -> new TrainerConfig(negativeWindow))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.dedupe.window.signals");
        assertThatThrownBy(() -> new TrainerConfig(notBoolean))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trainer.bootstrap.promote");
    }
}
