package io.forwardloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered FlinkDeployment against the CRD of the Flink Kubernetes Operator 1.10, the newest
 * whose API artifact this build can fetch. That CRD lists {@code flinkVersion} values up to {@code
 * v1_20}; the chart defaults to {@code v2_3}, the image's Flink version, which newer operators
 * list. So a {@code v2_x} value is checked against the chart's own schema, and everything else in
 * the resource against the CRD.
 */
class FlinkDeploymentSchemaTest {
    private static final OperatorCrd CRD = OperatorCrd.load("v1beta1");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "values/sasl-tls.yaml",
                "values/scaling-off.yaml",
                "values/monitoring-existing-secrets.yaml"
            })
    void shouldValidateAgainstTheOperatorsCrdSchema(String variant) {
        Manifests manifests = variant.isEmpty() ? Chart.render() : Chart.render(variant);
        GenericKubernetesResource flink = manifests.flinkDeployment();

        assertThat(flink.getApiVersion()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(CRD.validateWhatItKnows(asMap(flink))).isEmpty();
    }

    @Test
    void shouldDefaultToTheFlinkVersionOfTheImage() {
        Map<String, Object> flink = asMap(Chart.render().flinkDeployment());

        assertThat(spec(flink)).containsEntry("flinkVersion", "v2_3");
        assertThat((String) spec(flink).get("image")).contains("forwardloop-signal-job");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2_0", "v2_1", "v2_2", "v2_3"})
    void shouldRenderTheV2ValuesOfNewerOperatorsAndCheckTheRestAgainstTheCrd(String version) {
        Map<String, Object> flink =
                asMap(
                        Chart.renderWith(Map.of("signalJob.flinkVersion", version))
                                .flinkDeployment());

        assertThat(spec(flink)).containsEntry("flinkVersion", version);
        assertThat(CRD.flinkVersions()).doesNotContain(version);
        assertThat(CRD.validateWhatItKnows(flink)).isEmpty();
        assertThat(CRD.validate(flink))
                .singleElement()
                .satisfies(e -> assertThat(e).contains("flinkVersion"));
    }

    @Test
    void shouldValidateAVersionTheCrdListsInFull() {
        Map<String, Object> flink =
                asMap(
                        Chart.renderWith(Map.of("signalJob.flinkVersion", "v1_20"))
                                .flinkDeployment());

        assertThat(CRD.flinkVersions()).contains("v1_20");
        assertThat(CRD.validate(flink)).isEmpty();
    }

    @Test
    void shouldRefuseAFieldTheCrdDoesNotDeclareWhateverTheFlinkVersion() {
        Map<String, Object> flink = asMap(Chart.render().flinkDeployment());
        job(flink).put("paralelism", 4);

        assertThat(CRD.validateWhatItKnows(flink))
                .anySatisfy(e -> assertThat(e).contains("paralelism"));
    }

    @Test
    void shouldCheckpointToTheConfiguredPathWithParallelismFromValues() {
        Manifests manifests =
                Chart.renderWith(
                        Map.of(
                                "signalJob.checkpoints.dir", "s3://bucket/checkpoints",
                                "signalJob.checkpoints.intervalMs", "30000",
                                "signalJob.parallelism", "6",
                                "signalJob.upgradeMode", "savepoint"));
        Map<String, Object> flink = asMap(manifests.flinkDeployment());
        Map<?, ?> conf = (Map<?, ?>) spec(flink).get("flinkConfiguration");

        assertThat(conf.get("execution.checkpointing.dir")).isEqualTo("s3://bucket/checkpoints");
        assertThat(conf.get("state.checkpoints.dir")).isEqualTo("s3://bucket/checkpoints");
        assertThat(conf.get("execution.checkpointing.interval")).isEqualTo("30000 ms");
        assertThat(job(flink))
                .containsEntry("parallelism", 6)
                .containsEntry("upgradeMode", "savepoint");
        assertThat(manifests.properties("fl-forwardloop-signal-job"))
                .contains("job.parallelism=6\n")
                .contains("job.checkpoint.interval.ms=30000\n");
        assertThat(CRD.validateWhatItKnows(flink)).isEmpty();
    }

    @Test
    void shouldRunTheJobJarWithItsPropertiesFile() {
        Map<String, Object> flink = asMap(Chart.render().flinkDeployment());

        assertThat(job(flink))
                .containsEntry("jarURI", "local:///opt/flink/usrlib/forwardloop-signal-job.jar")
                .containsEntry(
                        "args", List.of("--config", "/etc/forwardloop/run/forwardloop.properties"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(GenericKubernetesResource resource) {
        return Chart.SERIALIZATION.convertValue(resource, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> flink) {
        return (Map<String, Object>) flink.get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> job(Map<String, Object> flink) {
        return (Map<String, Object>) spec(flink).get("job");
    }
}
