package io.forwardloop.registry.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The registry's JSON conventions: snake_case names, and how strictly input is read. */
public final class Json {
    static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};
    static final TypeReference<Map<String, Object>> OBJECTS = new TypeReference<>() {};

    private Json() {}

    /**
     * A mapper that refuses unknown fields, nulls for primitives, fractions for integers and
     * trailing content: for the server and for files a user wrote.
     */
    public static ObjectMapper strict() {
        return base(true);
    }

    /** A mapper that ignores fields it does not know: for clients reading newer servers. */
    public static ObjectMapper lenient() {
        return base(false);
    }

    private static ObjectMapper base(boolean strict) {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, strict)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, strict)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, strict)
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, !strict)
                .build();
    }

    /**
     * Says what is wrong with JSON that a strict mapper refused: the unknown field with the known
     * ones, the field with the wrong type, or why it is not JSON at all.
     *
     * @param what the document, as the message should name it, such as "the body"
     */
    public static String problem(String what, Exception e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known =
                    u.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
            return "unknown field '"
                    + fieldPath(u)
                    + "' in "
                    + what
                    + "; the known fields there are "
                    + known;
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "field '"
                    + fieldPath(m)
                    + "' of "
                    + what
                    + " has the wrong type or value: "
                    + m.getOriginalMessage();
        }
        if (e instanceof MismatchedInputException m) {
            return what + " must be one JSON object: " + m.getOriginalMessage();
        }
        String detail = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        return what + " is not valid JSON: " + detail;
    }

    private static String fieldPath(MismatchedInputException m) {
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** Writes {@code value} as JSON; the registry's own values always serialize. */
    static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass() + " as JSON", e);
        }
    }

    /** Reads JSON the registry wrote itself. */
    static <T> T read(ObjectMapper mapper, String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + json, e);
        }
    }
}
