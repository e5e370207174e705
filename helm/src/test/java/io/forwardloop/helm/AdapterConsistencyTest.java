package io.forwardloop.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.forwardloop.ingest.gateway.GatewayConfig;
import io.forwardloop.ingest.streams.IngestConfig;
import io.forwardloop.trainer.TrainerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateways, the trainers and the ingest service agree on each adapter's name, labels and
 * encoder, since the chart derives all of them from one entry of {@code adapters}; read back here
 * through the services' own config classes.
 */
class AdapterConsistencyTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", "values/monitoring-existing-secrets.yaml"})
    void shouldGiveEveryTrainerTheLabelsAndEncoderTheGatewaysServeItWith(String variant) {
        Manifests manifests = variant.isEmpty() ? Chart.render() : Chart.render(variant);
        GatewayConfig gateway = new GatewayConfig(settings(manifests, "fl-forwardloop-gateway"));
        IngestConfig ingest = new IngestConfig(settings(manifests, "fl-forwardloop-ingest"));

        List<Deployment> trainers =
                manifests.ofType(Deployment.class).stream()
                        .filter(
                                d ->
                                        d.getMetadata()
                                                .getLabels()
                                                .containsKey("forwardloop.io/adapter"))
                        .toList();
        assertThat(trainers).hasSameSizeAs(gateway.adapterLabels().keySet());
        for (Deployment deployment : trainers) {
            TrainerConfig trainer =
                    new TrainerConfig(settings(manifests, deployment.getMetadata().getName()));
            String adapter = trainer.adapterName();
            assertThat(gateway.adapterLabels()).containsKey(adapter);
            assertThat(trainer.getList(TrainerConfig.LABELS))
                    .as(adapter)
                    .isEqualTo(gateway.adapterLabels().get(adapter));
            assertThat(trainer.getString(TrainerConfig.ENCODER_ID))
                    .as(adapter)
                    .isEqualTo(gateway.encoderConfig().encoderId().id());
        }
        assertThat(ingest.adapters()).containsExactlyElementsOf(gateway.adapterLabels().keySet());
    }

    @Test
    void shouldServeAndTrainTheLabelsOfEachEntryInOrder() {
        Manifests manifests = Chart.render("values/monitoring-existing-secrets.yaml");

        assertThat(manifests.properties("fl-forwardloop-gateway"))
                .contains(
                        "gateway.adapters=sentiment:negative|positive,"
                                + "support-triage:billing|bug|question\n")
                .contains("encoder.id=bge-small-q\n");
        assertThat(manifests.properties("fl-forwardloop-trainer-support-triage"))
                .contains("trainer.adapter.labels=billing,bug,question\n")
                .contains("trainer.encoder.id=bge-small-q\n");
    }

    @Test
    void shouldRefuseAdaptersThatNameDifferentEncoders() {
        assertThatThrownBy(
                        () ->
                                Chart.template(
                                        List.of("values/monitoring-existing-secrets.yaml"),
                                        Map.of("adapters[1].encoder", "minilm")))
                .hasMessageContaining("the adapters name different encoders (bge-small-q, minilm)");
    }

    @Test
    void shouldRefuseAnAdapterNamedTwice() {
        assertThatThrownBy(
                        () ->
                                Chart.template(
                                        List.of("values/monitoring-existing-secrets.yaml"),
                                        Map.of("adapters[1].name", "sentiment")))
                .hasMessageContaining("the name \"sentiment\" appears twice");
    }

    private Map<String, Object> settings(Manifests manifests, String deployment) {
        return ServiceSettings.load(
                manifests, ChartVariantsTest.pod(manifests, deployment), dir.resolve(deployment));
    }
}
