package io.forwardloop.schemaregistry;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Node.js project under {@code src/test/js}: installs it with npm and runs its script. */
final class NodeProject {
    private static final Logger LOG = LoggerFactory.getLogger(NodeProject.class);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration TOOL_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final Duration runTimeout;

    NodeProject(Path dir) {
        this(dir, RUN_TIMEOUT);
    }

    /** A project whose scripts are killed after {@code runTimeout}. */
    NodeProject(Path dir, Duration runTimeout) {
        this.dir = dir;
        this.runTimeout = runTimeout;
    }

    /** The project in this module, found from Maven's {@code basedir} or the working directory. */
    static NodeProject inThisModule() {
        String basedir = System.getProperty("basedir", "");
        return new NodeProject(Path.of(basedir).toAbsolutePath().resolve("src/test/js"));
    }

    /** Fails unless node and npm run; runs {@code npm ci} when node_modules is missing. */
    void ensureInstalled() throws IOException, InterruptedException {
        requireTool("node");
        requireTool("npm");
        if (Files.isDirectory(dir.resolve("node_modules/@confluentinc/schemaregistry"))) {
            return;
        }
        LOG.info("Installing the Node.js project in {} with npm ci", dir);
        Path log = Files.createTempFile("npm-ci", ".log");
        Process npm =
                new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                        .directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        awaitSuccess(npm, INSTALL_TIMEOUT, "npm ci in " + dir, log);
    }

    /**
     * Runs {@code node script} with {@code input} on stdin and returns its stdout.
     *
     * <p>Stdin, stdout and stderr are files, so a script that writes much, or never reads, cannot
     * block on a pipe; a script still running after the timeout is killed and fails the test.
     */
    String run(String script, String input) throws IOException, InterruptedException {
        Path stdin = Files.createTempFile("node", ".in");
        Path stdout = Files.createTempFile("node", ".out");
        Path stderr = Files.createTempFile("node", ".err");
        try {
            Files.writeString(stdin, input, StandardCharsets.UTF_8);
            Process node =
                    new ProcessBuilder("node", script)
                            .directory(dir.toFile())
                            .redirectInput(stdin.toFile())
                            .redirectOutput(stdout.toFile())
                            .redirectError(stderr.toFile())
                            .start();
            awaitSuccess(node, runTimeout, "node " + script, stderr);
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stdin);
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** Waits up to {@code timeout} for {@code process}; kills it and fails when it runs on. */
    private static void awaitSuccess(Process process, Duration timeout, String what, Path output)
            throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(
                    what
                            + " did not finish within "
                            + timeout.toSeconds()
                            + " s and was killed; its errors:\n"
                            + Files.readString(output));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(
                    what
                            + " failed with exit code "
                            + process.exitValue()
                            + "; its errors:\n"
                            + Files.readString(output));
        }
    }

    private static void requireTool(String tool) throws InterruptedException {
        try {
            Process process =
                    new ProcessBuilder(tool, "--version")
                            .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (process.waitFor(TOOL_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    && process.exitValue() == 0) {
                return;
            }
            process.destroyForcibly();
        } catch (IOException e) {
            LOG.debug("{} --version failed", tool, e);
        }
        throw new AssertionError(
                "'"
                        + tool
                        + "' is not on the PATH or does not answer --version: the check against"
                        + " Confluent's JavaScript client needs Node.js 18 or newer with npm;"
                        + " install Node.js and run the build again");
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
