package io.forwardloop.schemaregistry;

import static io.forwardloop.schemaregistry.TestSchemas.RATING_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.schemaregistry.RegistryHttp.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryBasicAuthTest {
    private SchemaRegistryServer server;

    @BeforeEach
    void start() {
        server = SchemaRegistryServer.builder().basicAuth("loop:s3cret").build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldAcceptTheConfiguredCredentials() {
        RegistryHttp http = new RegistryHttp(server.url(), "loop:s3cret");

        assertThat(http.register("ratings-value", RATING_V1).status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseMissingCredentials() {
        Answer refused = new RegistryHttp(server.url()).get("/subjects");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo(401);
        assertThat(refused.message()).contains("basic.auth.user.info");
    }

    @Test
    void shouldRefuseWrongCredentials() {
        Answer refused =
                new RegistryHttp(server.url(), "loop:guess").register("ratings-value", RATING_V1);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.message()).contains("wrong user or password");
    }

    @Test
    void shouldServeHealthWithoutCredentials() {
        assertThat(new RegistryHttp(server.url()).get("/health").status()).isEqualTo(200);
    }

    @Test
    void shouldRejectBasicAuthWithoutAUser() {
        assertThatThrownBy(() -> SchemaRegistryServer.builder().basicAuth("nouser").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user:password");
    }
}
