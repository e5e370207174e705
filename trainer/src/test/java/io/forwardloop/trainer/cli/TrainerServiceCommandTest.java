package io.forwardloop.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The trainer service command refuses bad configuration before it touches Kafka. */
class TrainerServiceCommandTest {
    @TempDir Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new TrainerServiceCommand())
                .setErr(new PrintWriter(err, true))
                .setOut(new PrintWriter(new StringWriter(), true))
                .execute(args);
    }

    private Path config(String... lines) throws Exception {
        return Files.write(dir.resolve("trainer.properties"), java.util.List.of(lines));
    }

    @Test
    void shouldNameTheKeyOfAnInvalidValue() throws Exception {
        Path file =
                config(
                        "trainer.adapter.name=sentiment",
                        "kafka.bootstrap.servers=localhost:9092",
                        "schema.registry.url=http://localhost:8081",
                        "trainer.registry.url=http://localhost:8080");

        int exit = run("--config", file.toString(), "--set", "trainer.http.port=70000");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("trainer.http.port").contains("70000");
    }

    @Test
    void shouldRequireTheKafkaConnectionKeys() throws Exception {
        Path file = config("trainer.adapter.name=sentiment", "trainer.registry.url=http://r:8080");

        int exit = run("--config", file.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("kafka.bootstrap.servers");
    }

    @Test
    void shouldRequireTheModelRegistryUrl() {
        int exit =
                run(
                        "--set",
                        "trainer.adapter.name=sentiment",
                        "--set",
                        "kafka.bootstrap.servers=localhost:9092",
                        "--set",
                        "schema.registry.url=http://localhost:8081");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("trainer.registry.url").contains("registry's base URL");
    }

    @Test
    void shouldNameAMissingConfigurationFile() {
        int exit = run("--config", dir.resolve("absent.properties").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("absent.properties").contains("does not exist");
    }
}
