package io.forwardloop.platform.internal;

import io.forwardloop.platform.PlatformException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a KRaft log directory once, the way {@code kafka-storage format} does, and leaves a
 * formatted one alone so that a restart keeps its records, topics and cluster id.
 */
public final class KafkaStorage {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStorage.class);
    private static final String META_PROPERTIES = "meta.properties";

    private KafkaStorage() {}

    /** Returns the cluster id stored in {@code logDir}, if the directory is formatted. */
    public static Optional<String> clusterId(Path logDir) {
        Path meta = logDir.resolve(META_PROPERTIES);
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            properties.load(in);
        } catch (IOException e) {
            throw new PlatformException("cannot read " + meta + ": " + e.getMessage(), e);
        }
        return Optional.ofNullable(properties.getProperty("cluster.id"));
    }

    /**
     * Formats {@code logDir} with {@code kafka-storage format} for the node that {@code
     * serverProperties} describe, unless it is formatted already, and returns its cluster id.
     */
    public static String formatIfNeeded(Path logDir, Map<String, String> serverProperties) {
        Optional<String> existing = clusterId(logDir);
        if (existing.isPresent()) {
            LOG.info("Kafka log directory {} holds cluster {}; keeping it", logDir, existing.get());
            return existing.get();
        }
        String clusterId = Uuid.randomUuid().toString();
        format(logDir, serverProperties, clusterId);
        LOG.info("Formatted Kafka log directory {} for new cluster {}", logDir, clusterId);
        return clusterId;
    }

    private static void format(Path logDir, Map<String, String> serverProperties, String id) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Path configFile = null;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            Files.createDirectories(logDir);
            configFile = writeConfig(serverProperties);
            String[] args = {"format", "--config", configFile.toString(), "--cluster-id", id};
            int exitCode = StorageTool.execute(args, print);
            if (exitCode != 0) {
                throw new IllegalStateException("kafka-storage format exited with " + exitCode);
            }
        } catch (Exception e) {
            throw new PlatformException(
                    "cannot format Kafka log directory "
                            + logDir
                            + ": "
                            + e.getMessage()
                            + "; "
                            + output.toString(StandardCharsets.UTF_8).trim()
                            + "; remove the directory or point the data dir elsewhere",
                    e);
        } finally {
            deleteQuietly(configFile);
        }
        LOG.debug("kafka-storage said: {}", output.toString(StandardCharsets.UTF_8).trim());
    }

    private static Path writeConfig(Map<String, String> serverProperties) throws IOException {
        Properties properties = new Properties();
        properties.putAll(serverProperties);
        Path file = Files.createTempFile("forwardloop-kafka-", ".properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "ForwardLoop embedded Kafka, for formatting only");
        }
        return file;
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.debug("cannot delete temporary file {}: {}", file, e.getMessage());
        }
    }
}
