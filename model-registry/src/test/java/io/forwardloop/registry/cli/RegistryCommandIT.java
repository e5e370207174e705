package io.forwardloop.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.registry.HttpApiIT;
import io.forwardloop.registry.ModelRegistryServer;
import io.forwardloop.registry.client.RegistryClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code registry} commands against a running registry. */
class RegistryCommandIT {
    @TempDir Path dataDir;

    private ModelRegistryServer server;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        server =
                ModelRegistryServer.builder()
                        .port(0)
                        .dataDir(dataDir)
                        .authToken("tok")
                        .build()
                        .start();
        RegistryClient client = RegistryClient.builder().url(server.url()).token("tok").build();
        client.publish(
                "sentiment", "a".getBytes(StandardCharsets.UTF_8), HttpApiIT.meta(0.7, null));
        client.publish("sentiment", "b".getBytes(StandardCharsets.UTF_8), HttpApiIT.meta(0.8, 1L));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        CommandLine cli = RegistryCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url=" + server.url();
        all[args.length + 1] = "--token=tok";
        return cli.execute(all);
    }

    @Test
    void shouldListShowPromoteAndRollBack() {
        assertThat(run("promote", "sentiment", "1")).isZero();
        assertThat(run("promote", "sentiment", "2", "--alias", "serving")).isZero();
        assertThat(run("rollback", "sentiment")).isZero();
        assertThat(run("list")).isZero();
        assertThat(run("show", "sentiment")).isZero();
        assertThat(run("show", "sentiment", "--version", "2")).isZero();

        String text = out.toString();
        assertThat(text).contains("promoted sentiment/serving: version none -> 1");
        assertThat(text).contains("rolled back sentiment/serving: version 2 -> 1");
        assertThat(text).containsPattern("sentiment\\s+2\\s+2\\s+serving=1");
        assertThat(text).contains("lineage          [v2, v1]");
    }

    @Test
    void shouldExitWithOneAndTheRegistrysMessageWhenRefused() {
        int code = run("promote", "nothing", "1");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("adapter 'nothing' does not exist");
    }
}
