package io.forwardloop.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.forwardloop.platform.EmbeddedPlatform;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.client.RegistryClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The trainer service command against the embedded platform and a model registry in process:
 * probes, readiness, the cold start's first version, and stopping.
 */
class TrainerServiceCommandIT {
    @TempDir static Path platformDir;
    @TempDir static Path registryDir;
    static EmbeddedPlatform platform;
    static ModelRegistryServer registry;

    @TempDir Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startPlatform() {
        platform = EmbeddedPlatform.builder().dataDir(platformDir).build().start();
        registry =
                ModelRegistryServer.builder()
                        .dataDir(registryDir)
                        .port(0)
                        .authToken("secret")
                        .kafka(null)
                        .build()
                        .start();
    }

    @AfterAll
    static void stopPlatform() {
        registry.close();
        platform.close();
    }

    private Path properties(String adapter, String registryUrl) throws Exception {
        return Files.write(
                dir.resolve("trainer.properties"),
                List.of(
                        "kafka.bootstrap.servers=" + platform.bootstrapServers(),
                        "schema.registry.url=" + platform.schemaRegistryUrl(),
                        "trainer.adapter.name=" + adapter,
                        "trainer.adapter.input.dim=8",
                        "trainer.poll.timeout.ms=100",
                        "trainer.http.port=0",
                        "trainer.registry.url=" + registryUrl,
                        "trainer.registry.token=secret"));
    }

    private int status(int port, String path) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void shouldAnswerHealthBecomeReadyOnceRebuiltServeMetricsThenStopCleanly() throws Exception {
        Path file = properties("service-command", registry.url());
        TrainerServiceCommand command = new TrainerServiceCommand();
        StringWriter err = new StringWriter();
        CommandLine line =
                new CommandLine(command)
                        .setErr(new PrintWriter(err, true))
                        .setOut(new PrintWriter(new StringWriter(), true));
        CompletableFuture<Integer> exit =
                CompletableFuture.supplyAsync(() -> line.execute("--config", file.toString()));

        int port = command.awaitStarted();
        assertThat(port).as("probe port; errors: %s", err).isPositive();
        assertThat(status(port, "/health")).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> status(port, "/ready") == 200);
        HttpResponse<String> metrics =
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body())
                .contains("forwardloop_trainer_ready{adapter=\"service-command\"} 1")
                .contains("forwardloop_trainer_steps_total{adapter=\"service-command\"} ")
                .contains("# TYPE forwardloop_trainer_signals_in_total counter")
                .contains("forwardloop_trainer_duplicates_total{adapter=\"service-command\"} 0")
                .contains("# TYPE forwardloop_trainer_retained_bytes_estimate gauge");
        assertThat(status(port, "/nothing-here")).isEqualTo(404);
        command.stop();

        assertThat(exit.get()).as("exit code; errors: %s", err).isZero();
        RegistryClient client = RegistryClient.builder().url(registry.url()).build();
        assertThat(client.alias("service-command", "serving").version()).isEqualTo(1);
        assertThat(client.version("service-command", 1).lineage().stepTo()).isZero();
    }

    @Test
    void shouldFailNamingTheRegistryWhenAColdStartCannotLookUpTheServingVersion() throws Exception {
        Path file = properties("unreachable", "http://127.0.0.1:9");
        StringWriter err = new StringWriter();
        CommandLine line =
                new CommandLine(new TrainerServiceCommand())
                        .setErr(new PrintWriter(err, true))
                        .setOut(new PrintWriter(new StringWriter(), true));

        int exit = line.execute("--config", file.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains("adapter unreachable has no step log")
                .contains("could not be looked up in the model registry")
                .contains("http://127.0.0.1:9");
    }
}
