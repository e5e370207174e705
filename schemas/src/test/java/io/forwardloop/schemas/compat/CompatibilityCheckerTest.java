package io.forwardloop.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityCheckerTest {

    private static final Schema V1 = record("{\"name\": \"a\", \"type\": \"string\"}");
    private static final Schema WITH_DEFAULTED_FIELD =
            record(
                    "{\"name\": \"a\", \"type\": \"string\"},"
                            + " {\"name\": \"b\", \"type\": \"int\", \"default\": 0}");
    private static final Schema WITH_REQUIRED_FIELD =
            record(
                    "{\"name\": \"a\", \"type\": \"string\"},"
                            + " {\"name\": \"b\", \"type\": \"int\"}");
    private static final Schema EMPTY = record("");
    private static final Schema A_AS_INT = record("{\"name\": \"a\", \"type\": \"int\"}");

    static Schema record(String fields) {
        return new Schema.Parser()
                .parse("{\"type\": \"record\", \"name\": \"Rec\", \"fields\": [" + fields + "]}");
    }

    @Test
    void shouldAcceptAddedFieldWithDefaultUnderEveryLevel() {
        for (CompatibilityLevel level : CompatibilityLevel.values()) {
            assertThat(CompatibilityChecker.check(WITH_DEFAULTED_FIELD, List.of(V1), level))
                    .as(level.name())
                    .isEmpty();
        }
    }

    @Test
    void shouldRejectAddedFieldWithoutDefaultUnderBackward() {
        assertThat(
                        CompatibilityChecker.check(
                                WITH_REQUIRED_FIELD, List.of(V1), CompatibilityLevel.BACKWARD))
                .singleElement()
                .asString()
                .contains("Rec.b", "READER_FIELD_MISSING_DEFAULT_VALUE", "new schema cannot read");
    }

    @Test
    void shouldAcceptAddedFieldWithoutDefaultUnderForward() {
        assertThat(
                        CompatibilityChecker.check(
                                WITH_REQUIRED_FIELD, List.of(V1), CompatibilityLevel.FORWARD))
                .isEmpty();
    }

    @Test
    void shouldRejectRemovedFieldWithoutDefaultUnderForwardAndFull() {
        for (CompatibilityLevel level :
                List.of(CompatibilityLevel.FORWARD, CompatibilityLevel.FULL)) {
            assertThat(CompatibilityChecker.check(EMPTY, List.of(V1), level))
                    .as(level.name())
                    .singleElement()
                    .asString()
                    .contains("Rec.a", "READER_FIELD_MISSING_DEFAULT_VALUE", "old schema cannot");
        }
    }

    @Test
    void shouldAcceptRemovedFieldUnderBackwardBecauseNewReadersIgnoreIt() {
        assertThat(CompatibilityChecker.check(EMPTY, List.of(V1), CompatibilityLevel.BACKWARD))
                .isEmpty();
    }

    @Test
    void shouldRejectChangedFieldTypeInBothDirections() {
        assertThat(CompatibilityChecker.check(A_AS_INT, List.of(V1), CompatibilityLevel.FULL))
                .hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("Rec.a", "TYPE_MISMATCH"));
    }

    @Test
    void shouldAcceptAnythingUnderNone() {
        assertThat(CompatibilityChecker.check(A_AS_INT, List.of(V1), CompatibilityLevel.NONE))
                .isEmpty();
    }

    @Test
    void shouldCheckOnlyTheLatestVersionUnlessTransitive() {
        // V1 -> WITH_DEFAULTED_FIELD -> WITH_REQUIRED_FIELD is fine step by step under FORWARD,
        // but EMPTY after V1 and WITH_DEFAULTED_FIELD drops "a" which V1 readers need.
        List<Schema> history = List.of(V1, WITH_DEFAULTED_FIELD);
        Schema onlyB = record("{\"name\": \"b\", \"type\": \"int\", \"default\": 0}");
        Schema withA = record("{\"name\": \"a\", \"type\": \"string\", \"default\": \"\"}");
        List<Schema> aGainsDefault = List.of(V1, withA);

        assertThat(CompatibilityChecker.check(onlyB, aGainsDefault, CompatibilityLevel.FORWARD))
                .isEmpty();
        assertThat(
                        CompatibilityChecker.check(
                                onlyB, aGainsDefault, CompatibilityLevel.FORWARD_TRANSITIVE))
                .singleElement()
                .asString()
                .contains("Rec.a");
        assertThat(CompatibilityChecker.check(onlyB, history, CompatibilityLevel.FULL))
                .singleElement()
                .asString()
                .contains("Rec.a");
    }

    @Test
    void shouldCheckEveryEarlierVersionUnderBackwardTransitive() {
        Schema v1 = record("{\"name\": \"a\", \"type\": \"int\"}");
        Schema v2 = record("{\"name\": \"a\", \"type\": \"long\"}");
        Schema v3 = record("{\"name\": \"a\", \"type\": \"long\"}");
        assertThat(CompatibilityChecker.check(v3, List.of(v1, v2), CompatibilityLevel.BACKWARD))
                .isEmpty();
        Schema intOnly = record("{\"name\": \"a\", \"type\": \"int\"}");
        assertThat(
                        CompatibilityChecker.check(
                                intOnly, List.of(v1, v2), CompatibilityLevel.BACKWARD_TRANSITIVE))
                .singleElement()
                .asString()
                .contains("Rec.a", "TYPE_MISMATCH");
    }

    @Test
    void shouldCheckFullTransitiveAgainstAllVersionsInBothDirections() {
        Schema v1 = record("{\"name\": \"a\", \"type\": \"int\"}");
        Schema v2 = record("{\"name\": \"a\", \"type\": \"long\"}");
        // int -> long promotes when reading, but an int reader cannot read a long
        assertThat(CompatibilityChecker.check(v2, List.of(v1), CompatibilityLevel.FULL))
                .singleElement()
                .asString()
                .contains("old schema cannot read");
        assertThat(
                        CompatibilityChecker.check(
                                v2, List.of(v1, v2), CompatibilityLevel.FULL_TRANSITIVE))
                .hasSize(1);
        assertThat(CompatibilityChecker.check(v2, List.of(v1, v2), CompatibilityLevel.FULL))
                .isEmpty();
    }

    @Test
    void shouldNameNestedFieldsThroughArraysAndUnions() {
        Schema old =
                record(
                        "{\"name\": \"items\", \"type\": {\"type\": \"array\", \"items\":"
                                + " {\"type\": \"record\", \"name\": \"Item\", \"fields\":"
                                + " [{\"name\": \"x\", \"type\": [\"null\", \"string\"]}]}}}");
        Schema changed =
                record(
                        "{\"name\": \"items\", \"type\": {\"type\": \"array\", \"items\":"
                                + " {\"type\": \"record\", \"name\": \"Item\", \"fields\":"
                                + " [{\"name\": \"x\", \"type\": [\"null\", \"string\"]},"
                                + " {\"name\": \"y\", \"type\": \"int\"}]}}}");
        assertThat(CompatibilityChecker.check(changed, List.of(old), CompatibilityLevel.BACKWARD))
                .singleElement()
                .asString()
                .startsWith("Rec.items[].y:");
    }

    @Test
    void shouldParseLevelsCaseInsensitivelyAndNameTheAcceptedOnes() {
        assertThat(CompatibilityLevel.parse(" backward_transitive "))
                .isEqualTo(CompatibilityLevel.BACKWARD_TRANSITIVE);
        assertThatThrownBy(() -> CompatibilityLevel.parse("sideways"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sideways'")
                .hasMessageContaining("FULL_TRANSITIVE");
    }
}
