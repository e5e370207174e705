package io.forwardloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rendered FlinkDeployment against the CRD of the Flink Kubernetes Operator 1.10. */
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
        assertThat(CRD.validate(asMap(flink))).isEmpty();
    }

    @Test
    void shouldRefuseAFieldTheCrdDoesNotDeclare() {
        Map<String, Object> flink = asMap(Chart.render().flinkDeployment());
        job(flink).put("paralelism", 4);

        assertThat(CRD.validate(flink)).anySatisfy(e -> assertThat(e).contains("paralelism"));
    }

    @Test
    void shouldRefuseAFlinkVersionOperator110DoesNotKnow() {
        Manifests manifests = Chart.renderWith(Map.of("signalJob.flinkVersion", "v2_3"));

        assertThat(CRD.validate(asMap(manifests.flinkDeployment())))
                .anySatisfy(e -> assertThat(e).contains("flinkVersion"));
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
        assertThat(CRD.validate(flink)).isEmpty();
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
