package io.forwardloop.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.ingest.streams.IngestConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code ingest} command's settings: defaults, and bad ones refused with the key named. */
class IngestCommandTest {
    private static final String KAFKA = "kafka.bootstrap.servers=127.0.0.1:1";
    private static final String REGISTRY = "schema.registry.url=http://127.0.0.1:1";

    @TempDir Path stateDir;

    @Test
    void shouldDefaultToTheDocumentedServiceSettings() {
        IngestConfig config = new IngestConfig(Map.of());

        assertThat(config.applicationId()).isEqualTo("forwardloop-ingest");
        assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpPort()).isEqualTo(8083);
        assertThat(config.stateDir())
                .isEqualTo(
                        Path.of(System.getProperty("java.io.tmpdir"), "forwardloop-ingest-state"));
    }

    @Test
    void shouldExitTwoNamingTheBootstrapServersWhenTheyAreMissing() {
        Run run = run("--set", REGISTRY);

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("kafka.bootstrap.servers");
    }

    @Test
    void shouldExitTwoNamingTheSchemaRegistryWhenItIsMissing() {
        Run run = run("--set", KAFKA);

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("schema.registry.url");
    }

    @Test
    void shouldExitTwoNamingTheKeyOfAnUnknownProcessingGuarantee() {
        Run run =
                run("--set", KAFKA, "--set", REGISTRY, "--set", "ingest.processing.guarantee=eos");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("ingest.processing.guarantee", "eos");
    }

    @Test
    void shouldExitTwoNamingTheKeyOfAPortOutOfRange() {
        Run run = run("--set", KAFKA, "--set", REGISTRY, "--set", "ingest.http.port=70000");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("ingest.http.port");
    }

    @Test
    void shouldExitTwoForAConfigurationFileThatDoesNotExist() {
        Run run = run("--config", stateDir.resolve("missing.properties").toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("missing.properties", "does not exist");
    }

    @Test
    void shouldExitOneNamingThePortKeyWhenTheProbePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run =
                    run(
                            "--set",
                            KAFKA,
                            "--set",
                            REGISTRY,
                            "--set",
                            "ingest.state.dir=" + stateDir,
                            "--set",
                            "ingest.http.port=" + taken.getLocalPort());

            assertThat(run.code()).isEqualTo(1);
            assertThat(run.err()).contains("cannot listen", "ingest.http.port");
        }
    }

    private record Run(int code, String err) {}

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new IngestCommand());
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(new StringWriter(), true));
        int code = command.execute(args);
        return new Run(code, err.toString());
    }
}
