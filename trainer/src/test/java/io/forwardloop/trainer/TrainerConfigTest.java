package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TrainerConfigTest {
    private static Map<String, Object> minimal() {
        Map<String, Object> config = new HashMap<>();
        config.put(TrainerConfig.ADAPTER_NAME, "sentiment");
        config.put(TrainerConfig.BOOTSTRAP_SERVERS, "localhost:9092");
        config.put(TrainerConfig.SCHEMA_REGISTRY_URL, "http://localhost:8081");
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
}
