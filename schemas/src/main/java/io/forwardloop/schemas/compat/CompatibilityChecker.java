package io.forwardloop.schemas.compat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Checks a new Avro schema against earlier versions under a {@link CompatibilityLevel}.
 *
 * <p>Each problem is reported as one human-readable line that names the field path (for example
 * {@code InferenceRecord.activation}), what is wrong and in which direction, so that a build or a
 * registry can show it unchanged. The rules are Avro's schema resolution rules.
 */
public final class CompatibilityChecker {

    private CompatibilityChecker() {}

    /**
     * Returns the problems that stop {@code candidate} from being accepted after {@code previous};
     * an empty list means it is compatible.
     *
     * @param candidate the proposed new schema
     * @param previous earlier versions, oldest first
     * @param level the rule to apply
     */
    public static List<String> check(
            Schema candidate, List<Schema> previous, CompatibilityLevel level) {
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return problems;
        }
        List<Schema> against =
                level.transitive() ? previous : List.of(previous.get(previous.size() - 1));
        for (Schema old : against) {
            if (level.newReadsOld()) {
                describe(candidate, old, "new schema cannot read data written with", problems);
            }
            if (level.oldReadsNew()) {
                describe(old, candidate, "old schema cannot read data written with", problems);
            }
        }
        return problems;
    }

    private static void describe(Schema reader, Schema writer, String direction, List<String> out) {
        SchemaCompatibility.SchemaCompatibilityResult result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        for (Incompatibility problem : result.getIncompatibilities()) {
            out.add(
                    String.format(
                            "%s: %s (%s the other version: %s)",
                            fieldPath(reader, problem.getLocation()),
                            problem.getType(),
                            direction,
                            problem.getMessage()));
        }
    }

    /** Turns Avro's JSON-pointer location ("/fields/3/type") into "Record.field" names. */
    static String fieldPath(Schema root, String location) {
        StringBuilder path = new StringBuilder(root.getName() == null ? "" : root.getName());
        Schema current = root;
        String[] steps = location.split("/");
        for (int i = 1; i < steps.length; i++) {
            String step = steps[i];
            if ("fields".equals(step)
                    && i + 1 < steps.length
                    && current.getType() == Schema.Type.RECORD) {
                int index = Integer.parseInt(steps[++i]);
                Schema.Field field = current.getFields().get(index);
                path.append('.').append(field.name());
                current = field.schema();
            } else if ("items".equals(step) && current.getType() == Schema.Type.ARRAY) {
                current = current.getElementType();
                path.append("[]");
            } else if ("values".equals(step) && current.getType() == Schema.Type.MAP) {
                current = current.getValueType();
                path.append("{}");
            } else if (step.matches("\\d+") && current.getType() == Schema.Type.UNION) {
                current = current.getTypes().get(Integer.parseInt(step));
            }
        }
        return path.length() == 0 ? "(root)" : path.toString();
    }
}
