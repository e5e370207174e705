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
        "invalid/upper-case-property.yaml, Signal.Batch.Size",
        "invalid/derived-adapter-key.yaml, Property name of \"gateway.adapters\"",
        "invalid/adapter-without-labels.yaml, adapters.0: labels is required",
        "invalid/label-with-separator.yaml, adapters.0.labels.1",
        "invalid/misspelled-probe.yaml, Additional property readyness is not allowed"
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
        "kafka.bootstrapServers, kafka, kafka.bootstrapServers",
        "signalJob.flinkVersion, v1_13, signalJob.flinkVersion",
        "signalJob.flinkVersion, 2.3, signalJob.flinkVersion",
        "gateway.probes.liveness.periodSeconds, 0, gateway.probes.liveness.periodSeconds",
        "ingest.replicas, -1, ingest.replicas"
    })
    void shouldRefuseASingleBadValueNamingIt(String key, String value, String named) {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of(key, value)))
                .hasMessageContaining(named);
    }
}
