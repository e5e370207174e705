package io.forwardloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probes follow the top-level `probes`, with each service's own over them. */
class ProbeSwitchesTest {
    private static final List<String> SERVICES =
            List.of(
                    "fl-forwardloop-gateway",
                    "fl-forwardloop-model-registry",
                    "fl-forwardloop-trainer-sentiment",
                    "fl-forwardloop-ingest");

    private final Manifests tuned = Chart.render("values/probes-tuned.yaml");

    private static Container main(Manifests manifests, String deployment) {
        return ChartVariantsTest.pod(manifests, deployment).getContainers().get(0);
    }

    @Test
    void shouldProbeEveryServiceWithTheDefaultTimings() {
        Manifests manifests = Chart.render();

        for (String service : SERVICES) {
            Container container = main(manifests, service);
            assertThat(container.getStartupProbe().getFailureThreshold()).as(service).isEqualTo(60);
            assertThat(container.getLivenessProbe().getPeriodSeconds()).as(service).isEqualTo(10);
            assertThat(container.getReadinessProbe().getPeriodSeconds()).as(service).isEqualTo(5);
            assertThat(container.getReadinessProbe().getTimeoutSeconds()).as(service).isEqualTo(3);
        }
    }

    @Test
    void shouldLeaveOutOnlyTheProbesSwitchedOff() {
        Container gateway = main(tuned, "fl-forwardloop-gateway");
        Container ingest = main(tuned, "fl-forwardloop-ingest");

        assertThat(gateway.getReadinessProbe()).isNull();
        assertThat(gateway.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(ingest.getLivenessProbe()).isNull();
        assertThat(ingest.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(main(tuned, "fl-forwardloop-model-registry").getReadinessProbe()).isNotNull();
    }

    @Test
    void shouldTakeEachTimingFromTheServiceThenTheDefaults() {
        Probe liveness = main(tuned, "fl-forwardloop-trainer-sentiment").getLivenessProbe();

        assertThat(liveness.getPeriodSeconds()).isEqualTo(30);
        assertThat(liveness.getFailureThreshold()).isEqualTo(6);
        assertThat(liveness.getInitialDelaySeconds()).isEqualTo(20);
        assertThat(liveness.getTimeoutSeconds()).isEqualTo(3);
        assertThat(main(tuned, "fl-forwardloop-gateway").getLivenessProbe().getPeriodSeconds())
                .isEqualTo(10);
        for (String service : SERVICES) {
            assertThat(main(tuned, service).getStartupProbe().getFailureThreshold())
                    .as(service)
                    .isEqualTo(120);
        }
    }
}
