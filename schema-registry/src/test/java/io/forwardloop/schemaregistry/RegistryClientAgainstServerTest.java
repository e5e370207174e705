package io.forwardloop.schemaregistry;

import static io.forwardloop.schemaregistry.TestSchemas.RATING_V1;
import static io.forwardloop.schemaregistry.TestSchemas.RATING_V2;
import static io.forwardloop.schemaregistry.TestSchemas.RATING_WITH_WEIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.schemas.compat.CompatibilityLevel;
import io.forwardloop.schemas.registry.SchemaRegistryClient;
import io.forwardloop.schemas.registry.SchemaRegistryClientConfig;
import io.forwardloop.schemas.registry.SchemaRegistryClients;
import io.forwardloop.schemas.registry.SchemaRegistryException;
import io.forwardloop.schemas.registry.SchemaRegistryUnreachableException;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client of the {@code schemas} module against a real registry server. */
class RegistryClientAgainstServerTest {
    private SchemaRegistryServer server;
    private SchemaRegistryClient client;

    @BeforeEach
    void start() {
        server = SchemaRegistryServer.builder().basicAuth("loop:s3cret").build().start();
        client = SchemaRegistryClients.create(config("loop:s3cret"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private Map<String, String> config(String userInfo) {
        return Map.of(
                SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL,
                server.url(),
                SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
                "USER_INFO",
                SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO,
                userInfo);
    }

    @Test
    void shouldRegisterLookUpAndFetchSchemas() {
        Schema v1 = parse(RATING_V1);
        int id = client.register("ratings-value", v1);

        assertThat(client.idOf("ratings-value", v1)).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(v1);
        assertThat(client.subjects()).containsExactly("ratings-value");
        assertThat(client.isCompatible("ratings-value", parse(RATING_V2))).isTrue();
        assertThat(client.isCompatible("ratings-value", parse(RATING_WITH_WEIGHT))).isFalse();

        int v2 = client.register("ratings-value", parse(RATING_V2));
        SchemaRegistryClient.RegisteredSchema latest = client.latest("ratings-value");
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.id()).isEqualTo(v2);
    }

    @Test
    void shouldReadAndSetTheGlobalCompatibilityLevel() {
        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);

        assertThat(client.setGlobalCompatibility(CompatibilityLevel.FULL_TRANSITIVE))
                .isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);

        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
    }

    @Test
    void shouldSetReadAndRemoveASubjectsOwnLevel() {
        assertThat(client.compatibility("ratings-value")).isEmpty();

        assertThat(client.setCompatibility("ratings-value", CompatibilityLevel.NONE))
                .isEqualTo(CompatibilityLevel.NONE);

        assertThat(client.compatibility("ratings-value")).contains(CompatibilityLevel.NONE);
        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.deleteCompatibility("ratings-value")).contains(CompatibilityLevel.NONE);
        assertThat(client.compatibility("ratings-value")).isEmpty();
        assertThat(client.deleteCompatibility("ratings-value")).isEmpty();
    }

    @Test
    void shouldApplyTheSubjectLevelItSetToLaterRegistrations() {
        client.register("ratings-value", parse(RATING_V1));
        assertThat(client.isCompatible("ratings-value", parse(RATING_WITH_WEIGHT))).isFalse();

        client.setCompatibility("ratings-value", CompatibilityLevel.NONE);

        assertThat(client.isCompatible("ratings-value", parse(RATING_WITH_WEIGHT))).isTrue();
        assertThat(client.register("ratings-value", parse(RATING_WITH_WEIGHT))).isPositive();
    }

    @Test
    void shouldNameTheSubjectWhenTheRegistryRefusesALevel() {
        try (SchemaRegistryClient intruder = SchemaRegistryClients.create(config("loop:guess"))) {
            assertThatThrownBy(
                            () ->
                                    intruder.setCompatibility(
                                            "ratings-value", CompatibilityLevel.NONE))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(401))
                    .hasMessageContaining("subject 'ratings-value'")
                    .hasMessageContaining("/config/ratings-value");
        }
        assertThat(client.compatibility("ratings-value")).isEmpty();
    }

    @Test
    void shouldReportTheRefusalOfAnIncompatibleSchema() {
        client.register("ratings-value", parse(RATING_V1));

        assertThatThrownBy(() -> client.register("ratings-value", parse(RATING_WITH_WEIGHT)))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(409))
                .hasMessageContaining("Rating.weight");
    }

    @Test
    void shouldReportConfluentErrorCodesForMissingThings() {
        assertThatThrownBy(() -> client.idOf("nothing-value", parse(RATING_V1)))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> client.schemaById(777))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40403))
                .hasMessageContaining("777");
    }

    @Test
    void shouldBeRefusedWithWrongCredentials() {
        try (SchemaRegistryClient intruder = SchemaRegistryClients.create(config("loop:guess"))) {
            assertThatThrownBy(intruder::subjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(401));
        }
    }

    @Test
    void shouldNameTheUrlWhenTheRegistryIsDown() {
        String url = server.url();
        server.close();

        assertThatThrownBy(() -> client.register("ratings-value", parse(RATING_V1)))
                .isInstanceOf(SchemaRegistryUnreachableException.class)
                .hasMessageContaining(url);
        assertThatThrownBy(client::globalCompatibility)
                .isInstanceOf(SchemaRegistryUnreachableException.class)
                .hasMessageContaining(url)
                .hasMessageContaining("global compatibility level");
    }

    private static Schema parse(String schema) {
        return new Schema.Parser().parse(schema);
    }
}
