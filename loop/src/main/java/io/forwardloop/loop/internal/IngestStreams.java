package io.forwardloop.loop.internal;

import io.forwardloop.ingest.streams.IngestConfig;
import io.forwardloop.ingest.streams.IngestTopology;
import io.forwardloop.platform.ClusterConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/** The ingest topology on Kafka Streams: raw gateway logs to validated, deduplicated topics. */
public final class IngestStreams implements AutoCloseable {
    private final KafkaStreams streams;

    public IngestStreams(ClusterConnection connection, String adapter, Path stateDir) {
        Properties props = new Properties();
        props.putAll(connection.kafkaProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "forwardloop-ingest");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        IngestConfig config = new IngestConfig(Map.of(IngestConfig.ADAPTERS, adapter));
        this.streams =
                new KafkaStreams(IngestTopology.build(config, connection.serdeConfig()), props);
    }

    /** Starts the topology; it reaches RUNNING in the background. */
    public IngestStreams start() {
        streams.start();
        return this;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(10));
    }
}
