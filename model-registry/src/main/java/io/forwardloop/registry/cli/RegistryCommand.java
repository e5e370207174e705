package io.forwardloop.registry.cli;

import io.forwardloop.registry.AdapterSummary;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.AliasInfo;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.client.RegistryClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code registry}: publish, list, show, promote and roll back adapters in a running model
 * registry.
 *
 * <p>Exit codes: 0 on success, 1 when the registry refused the request or could not be reached (the
 * message says why), 2 for bad usage.
 */
@Command(
        name = "registry",
        description = "Publish and inspect adapters and move aliases in a running model registry.",
        mixinStandardHelpOptions = true,
        subcommands = {
            RegistryPublishCommand.class,
            RegistryCommand.ListCommand.class,
            RegistryCommand.ShowCommand.class,
            RegistryCommand.PromoteCommand.class,
            RegistryCommand.RollbackCommand.class,
            RegistryServeCommand.class
        })
public final class RegistryCommand implements Runnable {
    /** The environment variable that holds the bearer token when --token is not given. */
    public static final String TOKEN_ENV = "FORWARDLOOP_REGISTRY_TOKEN";

    @Spec private CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--url",
            defaultValue = "http://localhost:8081",
            description = "The registry's base URL (default: ${DEFAULT-VALUE}).",
            scope = CommandLine.ScopeType.INHERIT)
    String url;

    @Option(
            names = "--token",
            description = "The bearer token for writes; default: $" + TOKEN_ENV + ".",
            scope = CommandLine.ScopeType.INHERIT)
    String token;

    /** Runs the command line with {@code args} and returns the exit code. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** Returns a command line for this command, with the error handling of the launcher. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RegistryCommand());
        cli.setExecutionExceptionHandler(
                (e, commandLine, parsed) -> {
                    if (!(e instanceof RegistryException)) {
                        throw e;
                    }
                    commandLine.getErr().println("registry: " + e.getMessage());
                    return 1;
                });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    RegistryClient client() {
        String secret = token != null ? token : System.getenv(TOKEN_ENV);
        return RegistryClient.builder().url(url).token(secret).build();
    }

    /** {@code registry list}. */
    @Command(name = "list", description = "List adapters with their latest version and aliases.")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand RegistryCommand parent;
        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<AdapterSummary> adapters = parent.client().adapters();
            out.printf("%-32s %8s %8s  %s%n", "ADAPTER", "LATEST", "VERSIONS", "ALIASES");
            for (AdapterSummary a : adapters) {
                out.printf(
                        "%-32s %8d %8d  %s%n",
                        a.name(), a.latestVersion(), a.versionCount(), aliases(a.aliases()));
            }
            out.flush();
            return 0;
        }

        private static String aliases(Map<String, Long> aliases) {
            StringBuilder s = new StringBuilder();
            new TreeMap<>(aliases).forEach((k, v) -> s.append(k).append("=").append(v).append(' '));
            return s.toString().trim();
        }
    }

    /** {@code registry show NAME [--version V]}. */
    @Command(name = "show", description = "Show an adapter's versions, or one version in full.")
    static final class ShowCommand implements Callable<Integer> {
        @ParentCommand RegistryCommand parent;
        @Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "The adapter.")
        String name;

        @Option(names = "--version", description = "Show this version in full.")
        Long version;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            RegistryClient client = parent.client();
            if (version != null) {
                printVersion(out, client.version(name, version), client.lineage(name, version));
            } else {
                printAdapter(out, client.adapter(name), client.versions(name));
            }
            out.flush();
            return 0;
        }

        private static void printAdapter(
                PrintWriter out, AdapterSummary a, List<AdapterVersion> versions) {
            out.printf(
                    "adapter %s: %d versions, aliases %s%n",
                    a.name(), a.versionCount(), new TreeMap<>(a.aliases()));
            out.printf(
                    "%8s %8s %8s  %-12s %s%n", "VERSION", "PARENT", "STEPS", "SHA-256", "METRICS");
            for (AdapterVersion v : versions) {
                out.printf(
                        "%8d %8s %8s  %-12s %s%s%n",
                        v.version(),
                        orBlank(v.lineage().parentVersion()),
                        orBlank(v.lineage().stepCount()),
                        v.artifactSha256().substring(0, 12),
                        new TreeMap<>(v.metrics()),
                        v.retired() ? " (retired)" : "");
            }
        }

        private static void printVersion(
                PrintWriter out, AdapterVersion v, List<AdapterVersion> lineage) {
            out.printf(
                    "adapter %s version %d%s%n",
                    v.adapterName(), v.version(), v.retired() ? " (retired)" : "");
            out.printf(
                    "  sha256           %s (%d bytes)%n",
                    v.artifactSha256(), v.artifactSizeBytes());
            out.printf("  kind             %s%n", v.kind());
            out.printf("  encoder          %s%n", v.encoderId());
            out.printf("  labels           %s%n", v.labels());
            out.printf("  metrics          %s%n", new TreeMap<>(v.metrics()));
            out.printf("  hyperparameters  %s%n", new TreeMap<>(v.hyperparameters()));
            out.printf("  steps            %s%n", orBlank(v.lineage().stepCount()));
            out.printf(
                    "  lineage          %s%n",
                    lineage.stream().map(p -> "v" + p.version()).toList());
        }

        private static String orBlank(Long value) {
            return value == null ? "-" : value.toString();
        }
    }

    /** {@code registry promote NAME VERSION [--alias A]}. */
    @Command(name = "promote", description = "Point an alias at a version.")
    static final class PromoteCommand implements Callable<Integer> {
        @ParentCommand RegistryCommand parent;
        @Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "The adapter.")
        String name;

        @Parameters(index = "1", description = "The version to promote.")
        long version;

        @Option(
                names = "--alias",
                defaultValue = "serving",
                description = "Default: ${DEFAULT-VALUE}.")
        String alias;

        @Override
        public Integer call() {
            AliasInfo moved = parent.client().promote(name, alias, version);
            printMove(spec.commandLine().getOut(), "promoted", moved);
            return 0;
        }
    }

    /** {@code registry rollback NAME [--alias A]}. */
    @Command(name = "rollback", description = "Move an alias back to its previous version.")
    static final class RollbackCommand implements Callable<Integer> {
        @ParentCommand RegistryCommand parent;
        @Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "The adapter.")
        String name;

        @Option(
                names = "--alias",
                defaultValue = "serving",
                description = "Default: ${DEFAULT-VALUE}.")
        String alias;

        @Override
        public Integer call() {
            AliasInfo moved = parent.client().rollback(name, alias);
            printMove(spec.commandLine().getOut(), "rolled back", moved);
            return 0;
        }
    }

    static void printMove(PrintWriter out, String what, AliasInfo a) {
        out.printf(
                "%s %s/%s: version %s -> %d (sha256 %s)%n",
                what,
                a.adapterName(),
                a.alias(),
                a.previousVersion() == null ? "none" : a.previousVersion(),
                a.version(),
                a.artifactSha256());
        out.flush();
    }
}
