package io.forwardloop.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/** The registry's JSON conventions: snake_case names, and how strictly input is read. */
public final class Json {
    static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};
    static final TypeReference<Map<String, Object>> OBJECTS = new TypeReference<>() {};

    private Json() {}

    /** A mapper that refuses unknown fields and nulls for primitives: for the server. */
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
                .build();
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
