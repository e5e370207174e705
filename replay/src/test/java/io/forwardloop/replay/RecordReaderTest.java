package io.forwardloop.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.replay.internal.RecordReader;
import io.forwardloop.schemas.avro.InferenceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading resumes exactly after the last record returned, in JSONL and Avro files. */
class RecordReaderTest {
    @TempDir Path dir;

    @Test
    void shouldResumeAJsonlFileAtTheRecordedPosition() throws Exception {
        Path file = History.jsonl(dir.resolve("records.jsonl"), History.records(5));
        Files.writeString(file, "\n" + Files.readString(file));

        assertThat(readInTwo(file)).containsExactly("req-0", "req-1", "req-2", "req-3", "req-4");
    }

    @Test
    void shouldResumeAnAvroFileAtTheRecordedPosition() throws Exception {
        Path file = dir.resolve("records.avro");
        try (DataFileWriter<InferenceRecord> writer =
                new DataFileWriter<>(new SpecificDatumWriter<>(InferenceRecord.class))) {
            writer.create(InferenceRecord.getClassSchema(), file.toFile());
            for (InferenceRecord record : History.records(5)) {
                writer.append(record);
            }
        }

        assertThat(readInTwo(file)).containsExactly("req-0", "req-1", "req-2", "req-3", "req-4");
    }

    private static List<String> readInTwo(Path file) {
        List<String> ids = new ArrayList<>();
        RecordReader.Position position;
        try (RecordReader<InferenceRecord> reader =
                RecordReader.open(file, InferenceRecord.class, RecordReader.Position.START)) {
            ids.add(reader.next().getRequestId().toString());
            ids.add(reader.next().getRequestId().toString());
            position = reader.position();
        }
        assertThat(position.records()).isEqualTo(2);
        try (RecordReader<InferenceRecord> reader =
                RecordReader.open(file, InferenceRecord.class, position)) {
            for (InferenceRecord r = reader.next(); r != null; r = reader.next()) {
                ids.add(r.getRequestId().toString());
            }
        }
        return ids;
    }
}
