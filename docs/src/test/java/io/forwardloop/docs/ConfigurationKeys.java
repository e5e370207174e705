package io.forwardloop.docs;

import io.forwardloop.datasets.DatasetsConfig;
import io.forwardloop.flink.SignalJobConfig;
import io.forwardloop.ingest.encoder.EncoderConfig;
import io.forwardloop.ingest.gateway.GatewayConfig;
import io.forwardloop.ingest.streams.IngestConfig;
import io.forwardloop.platform.ClusterConnection;
import io.forwardloop.registry.RegistryConfig;
import io.forwardloop.schemas.registry.SchemaRegistryClientConfig;
import io.forwardloop.schemas.serde.AvroSerdeConfig;
import io.forwardloop.trainer.TrainerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/**
 * Every configuration key the code declares, grouped as the configuration reference groups them,
 * each rendered the way the reference's tables show it.
 */
final class ConfigurationKeys {

    /** One key as the reference shows it: name, type, default, valid values and meaning. */
    record Key(String name, String type, String defaultValue, String validValues, String doc) {

        /** The key as one Markdown table row. */
        String row() {
            return "| `"
                    + name
                    + "` | "
                    + type
                    + " | "
                    + defaultValue
                    + " | "
                    + escape(validValues)
                    + " | "
                    + escape(doc)
                    + " |";
        }
    }

    /**
     * A group of keys declared by one class; {@code source} is the class's fully qualified name,
     * which the heading of the group's section in the reference names.
     */
    record Component(String source, List<Key> keys) {}

    private ConfigurationKeys() {}

    /** The components in the order the reference lists them. */
    static List<Component> all() {
        Set<String> registryKeys = SchemaRegistryClientConfig.configDef().names();
        Set<String> encoderKeys = EncoderConfig.configDef().names();
        return List.of(
                of(ClusterConnection.class, ClusterConnection.configDef(), registryKeys),
                of(SchemaRegistryClientConfig.class, SchemaRegistryClientConfig.configDef()),
                of(AvroSerdeConfig.class, AvroSerdeConfig.configDef(), registryKeys),
                of(EncoderConfig.class, EncoderConfig.configDef()),
                of(GatewayConfig.class, GatewayConfig.configDef(), encoderKeys),
                of(IngestConfig.class, IngestConfig.configDef()),
                of(SignalJobConfig.class, SignalJobConfig.configDef()),
                of(TrainerConfig.class, TrainerConfig.configDef()),
                of(RegistryConfig.class, RegistryConfig.configDef()),
                datasets());
    }

    /** Every component's section heading and table, as the reference lays them out. */
    static String markdown() {
        StringBuilder out = new StringBuilder();
        for (Component component : all()) {
            out.append("### `").append(component.source()).append("`\n\n");
            out.append(header()).append('\n');
            component.keys().forEach(key -> out.append(key.row()).append('\n'));
            out.append('\n');
        }
        return out.toString();
    }

    /** The header of every key table of the reference. */
    static String header() {
        return "| key | type | default | valid values | meaning |\n|---|---|---|---|---|";
    }

    private static Component of(Class<?> source, ConfigDef def) {
        return of(source, def, Set.of());
    }

    private static Component of(Class<?> source, ConfigDef def, Set<String> inherited) {
        List<Key> keys = new ArrayList<>();
        for (ConfigKey key : def.configKeys().values()) {
            if (!inherited.contains(key.name)) {
                keys.add(key(key));
            }
        }
        return new Component(source.getName(), List.copyOf(keys));
    }

    private static Key key(ConfigKey key) {
        return new Key(
                key.name,
                key.type.name().toLowerCase(java.util.Locale.ROOT),
                defaultValue(key),
                validValues(key),
                key.documentation);
    }

    private static Component datasets() {
        List<Key> keys =
                Arrays.stream(DatasetsConfig.Key.values())
                        .map(k -> new Key(k.key(), k.type(), code(k.defaultValue()), "", k.doc()))
                        .toList();
        return new Component(DatasetsConfig.class.getName(), keys);
    }

    /** The default as the reference writes it: required, unset, empty or the value in code. */
    static String defaultValue(ConfigKey key) {
        if (key.defaultValue == ConfigDef.NO_DEFAULT_VALUE) {
            return "required";
        }
        if (key.defaultValue == null) {
            return "unset";
        }
        String value = ConfigDef.convertToString(key.defaultValue, key.type);
        return value.isEmpty() ? "empty" : code(value);
    }

    private static String validValues(ConfigKey key) {
        if (key.validator == null) {
            return "any";
        }
        String text = key.validator.toString();
        return text.contains("$$Lambda") || text.contains("$Lambda") ? "see meaning" : text;
    }

    private static String code(String value) {
        return "`" + value + "`";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
