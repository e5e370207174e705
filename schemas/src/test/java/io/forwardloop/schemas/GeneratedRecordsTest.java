package io.forwardloop.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class GeneratedRecordsTest {

    @Test
    void shouldRoundTripEveryRecordThroughAvroBinary() throws IOException {
        for (SpecificRecord record : SampleRecords.all()) {
            assertThat(roundTrip(record)).as(record.getSchema().getName()).isEqualTo(record);
        }
    }

    @Test
    void shouldDocumentEveryRecordEnumAndField() {
        List<String> undocumented = new ArrayList<>();
        for (SpecificRecord record : SampleRecords.all()) {
            collectUndocumented(record.getSchema(), undocumented);
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void shouldGiveEveryEnumADefaultSymbolSoSymbolsCanBeAdded() {
        for (SpecificRecord record : SampleRecords.all()) {
            for (Schema.Field field : record.getSchema().getFields()) {
                if (field.schema().getType() == Schema.Type.ENUM) {
                    assertThat(field.schema().getEnumDefault()).as(field.name()).isNotNull();
                }
            }
        }
    }

    @Test
    void shouldUseSnakeCaseFieldNamesAndTheProjectNamespace() {
        for (SpecificRecord record : SampleRecords.all()) {
            assertThat(record.getSchema().getNamespace()).isEqualTo("io.forwardloop.schemas.avro");
            for (Schema.Field field : record.getSchema().getFields()) {
                assertThat(field.name()).matches("[a-z][a-z0-9]*(_[a-z0-9]+)*");
            }
        }
    }

    private static void collectUndocumented(Schema schema, List<String> out) {
        if (schema.getDoc() == null || schema.getDoc().isBlank()) {
            out.add(schema.getFullName());
        }
        for (Schema.Field field : schema.getFields()) {
            if (field.doc() == null || field.doc().isBlank()) {
                out.add(schema.getName() + "." + field.name());
            }
            if (field.schema().getType() == Schema.Type.ENUM && (field.schema().getDoc() == null)) {
                out.add(field.schema().getFullName());
            }
        }
    }

    private static <T extends SpecificRecord> T roundTrip(T record) throws IOException {
        Schema schema = record.getSchema();
        SpecificData data = SpecificData.getForSchema(schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<T>(schema, data).write(record, encoder);
        encoder.flush();
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema, schema, data);
        return reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }
}
