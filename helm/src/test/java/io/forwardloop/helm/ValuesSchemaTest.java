package io.forwardloop.helm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json makes Helm refuse bad values before anything renders. */
class ValuesSchemaTest {

    @ParameterizedTest
    @CsvSource({
        "invalid/latest-tag.yaml, gateway.image.tag",
        "invalid/unknown-protocol.yaml, kafka.securityProtocol",
        "invalid/misspelled-key.yaml, Additional property replica is not allowed",
        "invalid/upper-case-property.yaml, Signal.Batch.Size"
    })
    void shouldRefuseValuesThatBreakTheSchemaNamingTheValue(String file, String named) {
        assertThatThrownBy(() -> Chart.template(List.of(file), Map.of()))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(named);
    }

    @ParameterizedTest
    @CsvSource({
        "gateway.replicas, many, gateway.replicas",
        "signalJob.upgradeMode, rolling, signalJob.upgradeMode",
        "kafka.bootstrapServers, kafka, kafka.bootstrapServers"
    })
    void shouldRefuseASingleBadValueNamingIt(String key, String value, String named) {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of(key, value)))
                .hasMessageContaining(named);
    }
}
