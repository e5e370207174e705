package io.forwardloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {
    @Test
    void shouldUseAnH2FileDatabaseInTheDataDirectoryByDefault() {
        RegistryConfig config =
                new RegistryConfig(
                        Map.of(
                                RegistryConfig.AUTH_TOKEN,
                                "x",
                                RegistryConfig.DATA_DIR,
                                "/srv/reg"));

        assertThat(config.httpPort()).isEqualTo(8081);
        assertThat(config.jdbcUrl()).startsWith("jdbc:h2:file:/srv/reg/registry;MODE=PostgreSQL");
        assertThat(config.authToken()).isEqualTo("x");
        assertThat(config.readAuthRequired()).isFalse();
    }

    @Test
    void shouldRequireATokenUnlessAuthenticationIsDisabled() {
        assertThatThrownBy(() -> new RegistryConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("registry.auth.token")
                .hasMessageContaining("registry.auth.disabled=true");
        assertThat(new RegistryConfig(Map.of(RegistryConfig.AUTH_DISABLED, "true")).authToken())
                .isNull();
    }

    @Test
    void shouldNameTheKeyOfAnInvalidValue() {
        assertThatThrownBy(
                        () ->
                                new RegistryConfig(
                                        Map.of(
                                                RegistryConfig.AUTH_TOKEN,
                                                "x",
                                                RegistryConfig.HTTP_PORT,
                                                "70000")))
                .hasMessageContaining("registry.http.port");
        assertThatThrownBy(
                        () ->
                                new RegistryConfig(
                                        Map.of(
                                                RegistryConfig.AUTH_DISABLED, "true",
                                                RegistryConfig.READ_AUTH_REQUIRED, "true")))
                .hasMessageContaining("reads cannot require a token");
    }
}
