package io.forwardloop.registry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.AliasInfo;
import io.forwardloop.registry.Lineage;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.client.RegistryClient;
import io.forwardloop.registry.internal.Json;
import io.forwardloop.registry.internal.PublishBody;
import io.forwardloop.registry.internal.Validation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code registry publish}: publishes an adapter file as the next version of an adapter, and
 * optionally points an alias at it.
 *
 * <p>Kind, encoder and labels are options; holdout metrics, hyperparameters and lineage come from
 * an optional JSON file whose fields are named as in the publish API ({@code metrics}, {@code
 * hyperparameters}, {@code lineage}). Bad options or an unreadable file are usage errors (exit 2)
 * and send nothing; a refusal by the registry exits 1 with its message.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description = {
            "Publish an adapter file as the adapter's next version; the same bytes published"
                    + " again return the existing version.",
            "Prints the version, and the alias move with --promote."
        })
final class RegistryPublishCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = Json.strict();

    @ParentCommand RegistryCommand parent;
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ADAPTER", description = "The adapter.")
    String name;

    @Option(
            names = "--artifact",
            required = true,
            paramLabel = "FILE",
            description = "The adapter file: an .onnx_adapter file or serialised parameters.")
    Path artifact;

    @Option(
            names = "--kind",
            required = true,
            paramLabel = "KIND",
            description = "The adapter family: LOW_RANK_CLASSIFIER or FORWARD_FORWARD.")
    String kind;

    @Option(
            names = "--encoder",
            required = true,
            paramLabel = "ID",
            description = "The encoder the adapter reads, such as bge-small-en-v1.5-q.")
    String encoder;

    @Option(
            names = "--labels",
            required = true,
            split = ",",
            paramLabel = "LABEL",
            description = "The labels in output order, comma-separated.")
    List<String> labels;

    @Option(
            names = "--metadata",
            paramLabel = "FILE.json",
            description =
                    "A JSON object with metrics, hyperparameters and lineage, as in the publish"
                            + " API.")
    Path metadata;

    @Option(
            names = "--promote",
            paramLabel = "ALIAS",
            description = "Point this alias at the published version.")
    String promote;

    /** The fields of a {@code --metadata} file. */
    record MetadataFile(
            Map<String, Double> metrics, Map<String, Object> hyperparameters, Lineage lineage) {}

    @Override
    public Integer call() {
        AdapterMetadata meta = metadata();
        byte[] bytes = read(artifact, "--artifact");
        RegistryClient client = parent.client();
        PrintWriter out = spec.commandLine().getOut();
        RegistryClient.Published published = client.publishWithOutcome(name, bytes, meta);
        printPublished(out, published);
        out.flush();
        if (promote != null) {
            AdapterVersion v = published.version();
            AliasInfo moved = promote(client, v);
            RegistryCommand.printMove(out, "promoted", moved);
        }
        out.flush();
        return 0;
    }

    private AdapterMetadata metadata() {
        if (!Validation.adapterKinds().contains(kind)) {
            throw usage(
                    "--kind '"
                            + kind
                            + "' is not an adapter kind; use one of "
                            + Validation.adapterKinds());
        }
        MetadataFile file =
                metadata == null ? new MetadataFile(null, null, null) : readMetadata(metadata);
        try {
            Validation.adapterName(name);
            if (promote != null) {
                Validation.alias(promote);
            }
            AdapterMetadata meta =
                    new PublishBody(
                                    kind,
                                    encoder,
                                    labels,
                                    file.metrics(),
                                    file.hyperparameters(),
                                    file.lineage(),
                                    null,
                                    null)
                            .metadata();
            Validation.metadata(meta);
            return meta;
        } catch (RegistryException e) {
            throw usage(e.getMessage());
        }
    }

    private MetadataFile readMetadata(Path file) {
        byte[] json = read(file, "--metadata");
        try {
            MetadataFile parsed = MAPPER.readValue(json, MetadataFile.class);
            if (parsed == null) {
                throw usage("--metadata " + file + " holds null; give a JSON object");
            }
            return parsed;
        } catch (IOException e) {
            throw usage(
                    Json.problem("--metadata " + file, e)
                            + " (give kind, encoder and labels with --kind, --encoder and"
                            + " --labels)");
        }
    }

    private byte[] read(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw usage("cannot read " + option + " " + file + ": " + e);
        }
    }

    private AliasInfo promote(RegistryClient client, AdapterVersion v) {
        try {
            return client.promote(name, promote, v.version());
        } catch (RegistryException e) {
            throw new RegistryException(
                    e.reason(),
                    "published version "
                            + v.version()
                            + " but did not promote it to '"
                            + promote
                            + "': "
                            + e.getMessage(),
                    e);
        }
    }

    private static void printPublished(PrintWriter out, RegistryClient.Published published) {
        AdapterVersion v = published.version();
        if (published.created()) {
            out.printf(
                    "published %s version %d (sha256 %s, %d bytes)%n",
                    v.adapterName(), v.version(), v.artifactSha256(), v.artifactSizeBytes());
        } else {
            out.printf(
                    "%s already has these bytes as version %d (sha256 %s); its metadata is"
                            + " unchanged%n",
                    v.adapterName(), v.version(), v.artifactSha256());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
