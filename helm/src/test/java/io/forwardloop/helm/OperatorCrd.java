package io.forwardloop.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The FlinkDeployment CRD that the Flink Kubernetes Operator's API artifact ships, as a JSON
 * Schema.
 *
 * <p>The CRD's OpenAPI v3 schema differs from JSON Schema in a few keywords, translated here:
 * {@code x-kubernetes-int-or-string} becomes "integer or string", {@code nullable} adds "null" to
 * the type, and the other {@code x-kubernetes-*} extensions are dropped. An object with declared
 * properties and no {@code x-kubernetes-preserve-unknown-fields} refuses unknown fields, as the API
 * server's strict field validation does.
 */
final class OperatorCrd {
    static final String RESOURCE = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonSchema schema;

    private final List<String> flinkVersions = new ArrayList<>();

    private OperatorCrd(JsonNode openApiSchema) {
        openApiSchema
                .at("/properties/spec/properties/flinkVersion/enum")
                .forEach(v -> flinkVersions.add(v.asText()));
        ObjectNode converted = (ObjectNode) toJsonSchema(openApiSchema.deepCopy());
        // every object has these, though the CRD declares only spec and status
        ObjectNode root = (ObjectNode) converted.get("properties");
        root.putObject("apiVersion").put("type", "string");
        root.putObject("kind").put("type", "string");
        root.putObject("metadata").put("type", "object");
        this.schema =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(converted);
    }

    /** Loads the schema of {@code version} (such as v1beta1) from the operator's CRD. */
    static OperatorCrd load(String version) {
        try (InputStream in =
                Objects.requireNonNull(
                        OperatorCrd.class.getClassLoader().getResourceAsStream(RESOURCE),
                        RESOURCE)) {
            for (JsonNode served : YAML.readTree(in).at("/spec/versions")) {
                if (served.get("name").asText().equals(version)) {
                    return new OperatorCrd(served.at("/schema/openAPIV3Schema"));
                }
            }
            throw new IllegalArgumentException("the CRD serves no version " + version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Returns what the schema refuses in {@code resource}; empty when it is valid. */
    List<String> validate(Map<String, Object> resource) {
        JsonNode json = YAML.valueToTree(resource);
        Set<ValidationMessage> messages = schema.validate(json);
        List<String> errors = new ArrayList<>();
        messages.forEach(m -> errors.add(m.getMessage()));
        return errors;
    }

    /** The {@code spec.flinkVersion} values this CRD lists. */
    List<String> flinkVersions() {
        return List.copyOf(flinkVersions);
    }

    /**
     * Validates what this CRD can judge: the whole resource when it lists the resource's {@code
     * spec.flinkVersion}, else everything but that field.
     *
     * <p>A newer operator's CRD lists Flink versions this one predates (operator 1.10 stops at
     * {@code v1_20}; 1.11 added the first {@code v2_x}); refusing them would only say that the CRD
     * is older than the value, while the rest of the resource is the same in both.
     */
    @SuppressWarnings("unchecked")
    List<String> validateWhatItKnows(Map<String, Object> resource) {
        Map<String, Object> copy = YAML.convertValue(YAML.valueToTree(resource), Map.class);
        Object spec = copy.get("spec");
        if (spec instanceof Map<?, ?> fields
                && !flinkVersions.contains(fields.get("flinkVersion"))) {
            fields.remove("flinkVersion");
        }
        return validate(copy);
    }

    private static JsonNode toJsonSchema(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(OperatorCrd::toJsonSchema);
        } else if (node instanceof ObjectNode object) {
            convert(object);
            object.forEach(OperatorCrd::toJsonSchema);
        }
        return node;
    }

    private static void convert(ObjectNode schema) {
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            schema.remove("type");
            ArrayNode anyOf = schema.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
        }
        if (schema.path("nullable").asBoolean() && schema.has("type")) {
            ArrayNode types = JsonNodeFactory.instance.arrayNode();
            types.add(schema.get("type").asText()).add("null");
            schema.set("type", types);
        }
        schema.remove("nullable");
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            if (names.next().startsWith("x-kubernetes-")) {
                names.remove();
            }
        }
        boolean declaresFields = schema.get("properties") instanceof ObjectNode;
        if (declaresFields && !preserveUnknown && !schema.has("additionalProperties")) {
            schema.put("additionalProperties", false);
        }
    }
}
