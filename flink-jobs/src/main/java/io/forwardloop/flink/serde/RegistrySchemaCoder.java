package io.forwardloop.flink.serde;

import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryClients;
import io.forwardloop.schemas.registry.SchemaRegistryException;
import io.forwardloop.schemas.serde.AvroSerdeConfig;
import io.forwardloop.schemas.serde.WireFormat;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.SchemaCoder;

/**
 * Reads and writes the Confluent wire-format header (magic byte 0, then the schema's global id as a
 * 4-byte big-endian int) through a {@link SchemaRegistryClient}.
 *
 * <p>Writing registers the schema under the coder's subject, or only looks it up when {@code
 * auto.register.schemas} is false; reading fetches the writer schema by id. The client caches both
 * directions, so the registry is asked once per schema, not per record.
 */
public final class RegistrySchemaCoder implements SchemaCoder {
    private final String subject;
    private final boolean autoRegister;
    private final SchemaRegistryClient client;

    RegistrySchemaCoder(String subject, boolean autoRegister, SchemaRegistryClient client) {
        this.subject = subject;
        this.autoRegister = autoRegister;
        this.client = client;
    }

    @Override
    public Schema readSchema(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int magic = data.read();
        if (magic != WireFormat.MAGIC_BYTE) {
            throw new IOException(
                    "record does not start with the Confluent magic byte 0 but with "
                            + magic
                            + "; it was not written by a schema-registry serializer");
        }
        int id = data.readInt();
        try {
            return client.schemaById(id);
        } catch (SchemaRegistryException e) {
            throw new IOException(
                    "cannot read the writer schema id "
                            + id
                            + " from the registry: "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public void writeSchema(Schema schema, OutputStream out) throws IOException {
        if (subject == null) {
            throw new IOException(
                    "this schema coder was built for reading only; build it with a topic to write");
        }
        DataOutputStream data = new DataOutputStream(out);
        data.writeByte(WireFormat.MAGIC_BYTE);
        data.writeInt(idOf(schema));
        data.flush();
    }

    private int idOf(Schema schema) throws IOException {
        try {
            return autoRegister ? client.register(subject, schema) : client.idOf(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new IOException(
                    "cannot "
                            + (autoRegister ? "register" : "look up")
                            + " schema "
                            + schema.getFullName()
                            + " under subject "
                            + subject
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Creates {@link RegistrySchemaCoder}s on the task managers from a serializable copy of the
     * registry settings; the registry client is created when the first coder is requested.
     */
    public static final class Provider implements SchemaCoderProvider {
        private static final long serialVersionUID = 1L;

        private final HashMap<String, String> registryConfig;
        private final String subject;
        private transient SchemaRegistryClient client;

        /**
         * @param registryConfig the schema registry client settings ({@code schema.registry.url},
         *     {@code basic.auth.user.info}, {@code auto.register.schemas}, ...)
         * @param subject the subject schemas are written under, or null for a reading-only coder
         */
        public Provider(Map<String, String> registryConfig, String subject) {
            this.registryConfig = new HashMap<>(registryConfig);
            this.subject = subject;
        }

        @Override
        public synchronized SchemaCoder get() {
            if (client == null) {
                client = SchemaRegistryClients.create(registryConfig);
            }
            boolean autoRegister = new AvroSerdeConfig(registryConfig).autoRegisterSchemas();
            return new RegistrySchemaCoder(subject, autoRegister, client);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Provider that
                    && registryConfig.equals(that.registryConfig)
                    && Objects.equals(subject, that.subject);
        }

        @Override
        public int hashCode() {
            return Objects.hash(registryConfig, subject);
        }
    }
}
