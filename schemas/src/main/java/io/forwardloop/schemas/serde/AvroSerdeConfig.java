package io.forwardloop.schemas.serde;

import io.forwardloop.schemas.registry.SchemaRegistryClientConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of {@link AvroSerializer} and {@link AvroDeserializer}: the registry client's keys (see
 * {@link SchemaRegistryClientConfig}) plus how subjects are named and schemas chosen.
 *
 * <p>The key names are Confluent's, so a configuration written for Confluent's serializers works
 * unchanged. Two choices differ from Confluent's: {@value #SPECIFIC_AVRO_READER} is true by
 * default, since every topic of the loop has a generated class; and {@value #USE_LATEST_VERSION}
 * together with {@value #AUTO_REGISTER_SCHEMAS} is refused rather than silently ignored.
 */
public final class AvroSerdeConfig extends SchemaRegistryClientConfig {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    private static final ConfigDef CONFIG = define(new ConfigDef());

    public AvroSerdeConfig(Map<String, ?> originals) {
        super(CONFIG, originals);
        validate();
    }

    /** The definition of this config's keys, for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    protected static ConfigDef define(ConfigDef def) {
        return SchemaRegistryClientConfig.define(def)
                .define(
                        AUTO_REGISTER_SCHEMAS,
                        Type.BOOLEAN,
                        true,
                        Importance.MEDIUM,
                        "Whether the serializer registers a record's schema under its subject;"
                                + " when false the schema must already be registered.")
                .define(
                        USE_LATEST_VERSION,
                        Type.BOOLEAN,
                        false,
                        Importance.LOW,
                        "Whether the serializer writes with the subject's latest registered"
                                + " schema instead of the record's own; needs "
                                + AUTO_REGISTER_SCHEMAS
                                + "=false, and is refused with "
                                + AUTO_REGISTER_SCHEMAS
                                + "=true.")
                .define(
                        KEY_SUBJECT_NAME_STRATEGY,
                        Type.STRING,
                        SubjectNameStrategy.TOPIC_NAME.className(),
                        AvroSerdeConfig::validateStrategy,
                        Importance.LOW,
                        "How key subjects are named: " + SubjectNameStrategy.accepted() + ".")
                .define(
                        VALUE_SUBJECT_NAME_STRATEGY,
                        Type.STRING,
                        SubjectNameStrategy.TOPIC_NAME.className(),
                        AvroSerdeConfig::validateStrategy,
                        Importance.LOW,
                        "How value subjects are named: " + SubjectNameStrategy.accepted() + ".")
                .define(
                        SPECIFIC_AVRO_READER,
                        Type.BOOLEAN,
                        true,
                        Importance.LOW,
                        "Whether the deserializer returns generated classes rather than"
                                + " GenericRecord; true by default, unlike Confluent's, since every"
                                + " topic has a generated class.");
    }

    /** Whether the serializer registers schemas itself. */
    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    /** Whether the serializer writes with the subject's latest id (auto-registration off). */
    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    /** Whether the deserializer returns generated classes. */
    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER);
    }

    /** The strategy for keys ({@code isKey}) or values. */
    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return SubjectNameStrategy.parse(
                getString(isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY));
    }

    private void validate() {
        if (useLatestVersion() && autoRegisterSchemas()) {
            throw new ConfigException(
                    USE_LATEST_VERSION
                            + "=true needs "
                            + AUTO_REGISTER_SCHEMAS
                            + "=false: with auto-registration the serializer registers each"
                            + " record's own schema and never writes with the latest version; set "
                            + AUTO_REGISTER_SCHEMAS
                            + "=false to write with the subject's latest schema, or drop "
                            + USE_LATEST_VERSION);
        }
    }

    private static void validateStrategy(String name, Object value) {
        try {
            SubjectNameStrategy.parse((String) value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }
}
