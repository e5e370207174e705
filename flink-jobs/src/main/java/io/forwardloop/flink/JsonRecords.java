package io.forwardloop.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Plain JSON objects with the Avro field names, one per line (JSONL), read into and written from
 * generated Avro records.
 *
 * <p>Unions with null take either null or the value itself (not Avro's {@code {"type": value}}
 * wrapping); timestamps are epoch milliseconds or ISO-8601 strings; bytes are base64; a missing
 * field takes its schema default.
 */
public final class JsonRecords {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonRecords() {}

    /** Parses one line into a record of {@code type}. */
    public static <T extends SpecificRecordBase> T parse(String line, Class<T> type) {
        try {
            JsonNode node = MAPPER.readTree(line);
            T record = type.cast(SpecificData.newInstance(type, schemaOf(type)));
            for (Schema.Field field : record.getSchema().getFields()) {
                record.put(field.pos(), fieldValue(node.get(field.name()), field));
            }
            return record;
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "cannot read a "
                            + type.getSimpleName()
                            + " from JSON line "
                            + abbreviate(line)
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Writes {@code record} as one line of JSON, without the line break. */
    public static String write(SpecificRecordBase record) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            node.set(field.name(), toJson(record.get(field.pos()), field.schema()));
        }
        return node.toString();
    }

    private static Schema schemaOf(Class<?> type) {
        return SpecificData.get().getSchema(type);
    }

    private static Object fieldValue(JsonNode node, Schema.Field field) {
        if (node == null || node.isMissingNode()) {
            if (!field.hasDefaultValue()) {
                throw new IllegalArgumentException("field " + field.name() + " is missing");
            }
            return SpecificData.get().getDefaultValue(field);
        }
        return fromJson(node, field.schema(), field.name());
    }

    private static Object fromJson(JsonNode node, Schema schema, String name) {
        if (node.isNull()) {
            if (schema.getType() == Schema.Type.NULL || schema.isNullable()) {
                return null;
            }
            throw new IllegalArgumentException("field " + name + " must not be null");
        }
        return switch (schema.getType()) {
            case UNION -> fromJson(node, nonNull(schema), name);
            case STRING -> node.asText();
            case INT -> node.asInt();
            case LONG -> longValue(node, schema);
            case FLOAT -> (float) node.asDouble();
            case DOUBLE -> node.asDouble();
            case BOOLEAN -> node.asBoolean();
            case BYTES -> ByteBuffer.wrap(Base64.getDecoder().decode(node.asText()));
            case ENUM -> SpecificData.get().createEnum(node.asText(), schema);
            case ARRAY -> arrayValue(node, schema, name);
            default ->
                    throw new IllegalArgumentException(
                            "field " + name + " has unsupported type " + schema.getType());
        };
    }

    private static Object longValue(JsonNode node, Schema schema) {
        boolean timestamp = schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
        if (!timestamp) {
            return node.asLong();
        }
        return node.isTextual()
                ? Instant.parse(node.asText())
                : Instant.ofEpochMilli(node.asLong());
    }

    private static List<Object> arrayValue(JsonNode node, Schema schema, String name) {
        List<Object> values = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            values.add(fromJson(item, schema.getElementType(), name));
        }
        return values;
    }

    private static Schema nonNull(Schema union) {
        return union.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode toJson(Object value, Schema schema) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (value == null) {
            return json.nullNode();
        }
        if (schema.getType() == Schema.Type.UNION) {
            return toJson(value, nonNull(schema));
        }
        if (value instanceof Instant instant) {
            return json.numberNode(instant.toEpochMilli());
        }
        return switch (schema.getType()) {
            case INT -> json.numberNode((Integer) value);
            case LONG -> json.numberNode((Long) value);
            case FLOAT -> json.numberNode((Float) value);
            case DOUBLE -> json.numberNode((Double) value);
            case BOOLEAN -> json.booleanNode((Boolean) value);
            case BYTES -> json.textNode(base64((ByteBuffer) value));
            case ARRAY -> array((Collection<?>) value, schema.getElementType());
            default -> json.textNode(value.toString());
        };
    }

    private static ArrayNode array(Collection<?> items, Schema elementType) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        items.forEach(item -> array.add(toJson(item, elementType)));
        return array;
    }

    private static String base64(ByteBuffer bytes) {
        ByteBuffer copy = bytes.duplicate();
        byte[] array = new byte[copy.remaining()];
        copy.get(array);
        return Base64.getEncoder().encodeToString(array);
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
