package io.forwardloop.schemaregistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Node.js project under {@code src/test/js}: installs it with npm and runs its script. */
final class NodeProject {
    private static final Logger LOG = LoggerFactory.getLogger(NodeProject.class);
    private static final long INSTALL_TIMEOUT_S = 600;
    private static final long RUN_TIMEOUT_S = 120;

    private final Path dir;

    NodeProject(Path dir) {
        this.dir = dir;
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
        Process npm = start(List.of("npm", "ci"), log);
        if (!npm.waitFor(INSTALL_TIMEOUT_S, TimeUnit.SECONDS) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new AssertionError(
                    "npm ci in " + dir + " failed; its output:\n" + Files.readString(log));
        }
    }

    /** Runs {@code node script} with {@code input} on stdin and returns its stdout. */
    String run(String script, String input) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("node", ".err");
        Process node = start(List.of("node", script), errors);
        try (var stdin = node.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        byte[] output = node.getInputStream().readAllBytes();
        if (!node.waitFor(RUN_TIMEOUT_S, TimeUnit.SECONDS) || node.exitValue() != 0) {
            node.destroyForcibly();
            throw new AssertionError(
                    "node " + script + " failed; its errors:\n" + Files.readString(errors));
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    private Process start(List<String> command, Path errors) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        if (command.get(0).equals("npm")) {
            builder.redirectErrorStream(true).redirectOutput(errors.toFile());
        } else {
            builder.redirectError(errors.toFile());
        }
        return builder.start();
    }

    private static void requireTool(String tool) throws InterruptedException {
        try {
            Process process =
                    new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            if (process.waitFor() == 0) {
                return;
            }
        } catch (IOException e) {
            LOG.debug("{} --version failed", tool, e);
        }
        throw new AssertionError(
                "'"
                        + tool
                        + "' is not on the PATH: the check against Confluent's JavaScript client"
                        + " needs Node.js 18 or newer with npm; install Node.js and run the build"
                        + " again");
    }
}
