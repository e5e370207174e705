package io.forwardloop.schemaregistry;

/** Avro schemas for registry tests: a record, a compatible and an incompatible evolution. */
final class TestSchemas {
    static final String RATING_V1 =
            "{\"type\":\"record\",\"name\":\"Rating\",\"namespace\":\"io.forwardloop.test\","
                    + "\"fields\":[{\"name\":\"requestId\",\"type\":\"string\"},"
                    + "{\"name\":\"score\",\"type\":\"int\"}]}";

    /** RATING_V1 written with other whitespace: the same schema. */
    static final String RATING_V1_SPACED =
            "{ \"type\" : \"record\",\n  \"name\" : \"Rating\", \"namespace\" :"
                    + " \"io.forwardloop.test\",\n  \"fields\" : [\n"
                    + "    { \"name\" : \"requestId\", \"type\" : \"string\" },\n"
                    + "    { \"name\" : \"score\", \"type\" : \"int\" } ] }";

    /** Adds a field with a default: BACKWARD compatible with V1. */
    static final String RATING_V2 =
            "{\"type\":\"record\",\"name\":\"Rating\",\"namespace\":\"io.forwardloop.test\","
                    + "\"fields\":[{\"name\":\"requestId\",\"type\":\"string\"},"
                    + "{\"name\":\"score\",\"type\":\"int\"},"
                    + "{\"name\":\"comment\",\"type\":\"string\",\"default\":\"\"}]}";

    /** Adds a field without a default: not BACKWARD compatible with V1. */
    static final String RATING_WITH_WEIGHT =
            "{\"type\":\"record\",\"name\":\"Rating\",\"namespace\":\"io.forwardloop.test\","
                    + "\"fields\":[{\"name\":\"requestId\",\"type\":\"string\"},"
                    + "{\"name\":\"score\",\"type\":\"int\"},"
                    + "{\"name\":\"weight\",\"type\":\"double\"}]}";

    private TestSchemas() {}
}
