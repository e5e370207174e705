package io.forwardloop.flink.internal;

import io.forwardloop.flink.JsonRecords;
import io.forwardloop.flink.serde.ConfluentAvroFormats;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.kafka.shaded.org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Kafka and file sources and sinks of the signal job. */
public final class Connectors {
    private Connectors() {}

    /** A Kafka source of {@code topic} read with {@code read_committed}, from committed offsets. */
    public static <T extends SpecificRecordBase> KafkaSource<T> kafkaSource(
            ClusterConnection connection, Topic<String, T> topic, String groupId) {
        return KafkaSource.<T>builder()
                .setProperties(kafkaProperties(connection))
                .setBootstrapServers(connection.bootstrapServers())
                .setTopics(topic.name())
                .setGroupId(groupId)
                .setProperty("isolation.level", "read_committed")
                .setStartingOffsets(committedOrEarliest())
                .setValueOnlyDeserializer(
                        ConfluentAvroFormats.deserializer(
                                topic.valueType(), registryConfig(connection)))
                .build();
    }

    /** A Kafka source of {@code topic} from its start to its end when the job starts. */
    public static <T extends SpecificRecordBase> KafkaSource<T> boundedKafkaSource(
            ClusterConnection connection, Topic<String, T> topic) {
        return KafkaSource.<T>builder()
                .setProperties(kafkaProperties(connection))
                .setBootstrapServers(connection.bootstrapServers())
                .setTopics(topic.name())
                .setProperty("isolation.level", "read_committed")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setValueOnlyDeserializer(
                        ConfluentAvroFormats.deserializer(
                                topic.valueType(), registryConfig(connection)))
                .build();
    }

    // the strategy type is deprecated in Kafka 4 but the only one this initializer takes
    @SuppressWarnings("deprecation")
    private static OffsetsInitializer committedOrEarliest() {
        return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    }

    /** A Kafka sink to {@code topic}, keyed by {@code key}. */
    public static <T extends SpecificRecordBase> KafkaSink<T> kafkaSink(
            ClusterConnection connection,
            Topic<String, T> topic,
            KeyOf<T> key,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix,
            Duration transactionTimeout) {
        KafkaRecordSerializationSchema<T> serializer =
                KafkaRecordSerializationSchema.<T>builder()
                        .setTopic(topic.name())
                        .setKeySerializationSchema(key)
                        .setValueSerializationSchema(
                                ConfluentAvroFormats.serializer(
                                        topic.valueType(),
                                        topic.name(),
                                        registryConfig(connection)))
                        .build();
        return KafkaSink.<T>builder()
                .setBootstrapServers(connection.bootstrapServers())
                .setKafkaProducerConfig(kafkaProperties(connection))
                .setProperty("transaction.timeout.ms", Long.toString(transactionTimeout.toMillis()))
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix + "-" + topic.name())
                .build();
    }

    /** Records of {@code type} from JSONL files or Avro container files ({@code .avro}). */
    public static <T extends SpecificRecordBase> DataStream<T> files(
            StreamExecutionEnvironment env,
            List<Path> paths,
            Class<T> type,
            TypeInformation<T> info,
            WatermarkStrategy<T> watermarks) {
        List<Path> avro = paths.stream().filter(Connectors::isAvro).toList();
        List<Path> jsonl = paths.stream().filter(p -> !isAvro(p)).toList();
        String name = type.getSimpleName();
        DataStream<T> stream = null;
        if (!avro.isEmpty()) {
            FileSource<T> source =
                    FileSource.forRecordStreamFormat(new AvroContainerFormat<>(type), flink(avro))
                            .build();
            stream = env.fromSource(source, watermarks, name + " avro files", info);
        }
        if (!jsonl.isEmpty()) {
            FileSource<String> source =
                    FileSource.forRecordStreamFormat(new TextLineInputFormat(), flink(jsonl))
                            .build();
            DataStream<T> parsed =
                    env.fromSource(source, WatermarkStrategy.noWatermarks(), name + " jsonl files")
                            .filter(line -> !line.isBlank())
                            .map(line -> JsonRecords.parse(line, type), info)
                            .assignTimestampsAndWatermarks(watermarks);
            stream = stream == null ? parsed : stream.union(parsed);
        }
        return stream;
    }

    /** A sink of JSONL part files under {@code directory}. */
    public static <T extends SpecificRecordBase> FileSink<T> jsonlSink(Path directory) {
        Encoder<T> encoder =
                (element, out) ->
                        out.write(
                                (JsonRecords.write(element) + "\n")
                                        .getBytes(StandardCharsets.UTF_8));
        return FileSink.forRowFormat(new org.apache.flink.core.fs.Path(directory.toUri()), encoder)
                .build();
    }

    private static boolean isAvro(Path path) {
        return path.getFileName().toString().endsWith(".avro");
    }

    private static org.apache.flink.core.fs.Path[] flink(List<Path> paths) {
        return paths.stream()
                .map(p -> new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()))
                .toArray(org.apache.flink.core.fs.Path[]::new);
    }

    private static Properties kafkaProperties(ClusterConnection connection) {
        Properties props = new Properties();
        connection.kafkaProperties().forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
        return props;
    }

    private static Map<String, String> registryConfig(ClusterConnection connection) {
        Map<String, String> config = new HashMap<>();
        connection.serdeConfig().forEach((k, v) -> config.put(k, String.valueOf(v)));
        return config;
    }

    /** The Kafka key of a record: a string, written as UTF-8. */
    @FunctionalInterface
    public interface KeyOf<T> extends SerializationSchema<T> {
        /** The key string of {@code element}. */
        String key(T element);

        @Override
        default byte[] serialize(T element) {
            return key(element).getBytes(StandardCharsets.UTF_8);
        }
    }
}
