package io.forwardloop.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.schemas.registry.SchemaRegistryClientConfig.CredentialsSource;
import java.net.URI;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    private static final String URL = "http://localhost:8081";

    @Test
    void shouldApplyConfluentDefaultsButReadGeneratedClasses() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of("schema.registry.url", URL));
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.specificAvroReader()).isTrue();
        assertThat(config.subjectNameStrategy(false)).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
        assertThat(config.credentialsSource()).isEqualTo(CredentialsSource.URL);
        assertThat(config.maxSchemasPerSubject()).isEqualTo(1000);
    }

    @Test
    void shouldRefuseUseLatestVersionWithAutoRegistrationNamingBothKeys() {
        assertThatThrownBy(
                        () ->
                                new AvroSerdeConfig(
                                        Map.of(
                                                "schema.registry.url",
                                                URL,
                                                "use.latest.version",
                                                "true")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("use.latest.version=true")
                .hasMessageContaining("auto.register.schemas=false");
    }

    @Test
    void shouldAcceptUseLatestVersionWithAutoRegistrationOff() {
        AvroSerdeConfig config =
                new AvroSerdeConfig(
                        Map.of(
                                "schema.registry.url",
                                URL,
                                "use.latest.version",
                                "true",
                                "auto.register.schemas",
                                "false"));
        assertThat(config.useLatestVersion()).isTrue();
        assertThat(config.autoRegisterSchemas()).isFalse();
    }

    @Test
    void shouldNameTheMissingRegistryUrl() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldRejectANonHttpUrlNamingKeyAndValue() {
        assertThatThrownBy(
                        () -> new AvroSerdeConfig(Map.of("schema.registry.url", "localhost:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url")
                .hasMessageContaining("localhost:8081");
    }

    @Test
    void shouldSplitSeveralUrlsAndDropTrailingSlashes() {
        AvroSerdeConfig config =
                new AvroSerdeConfig(
                        Map.of("schema.registry.url", "http://a:8081/, https://b:8443/ccompat"));
        assertThat(config.urls())
                .containsExactly(URI.create("http://a:8081"), URI.create("https://b:8443/ccompat"));
    }

    @Test
    void shouldAcceptConfluentStrategyClassNames() {
        AvroSerdeConfig config =
                new AvroSerdeConfig(
                        Map.of(
                                "schema.registry.url",
                                URL,
                                "value.subject.name.strategy",
                                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy",
                                "key.subject.name.strategy",
                                "RecordNameStrategy"));
        assertThat(config.subjectNameStrategy(false))
                .isEqualTo(SubjectNameStrategy.TOPIC_RECORD_NAME);
        assertThat(config.subjectNameStrategy(true)).isEqualTo(SubjectNameStrategy.RECORD_NAME);
    }

    @Test
    void shouldRejectAnUnknownStrategyListingTheAcceptedOnes() {
        assertThatThrownBy(
                        () ->
                                new AvroSerdeConfig(
                                        Map.of(
                                                "schema.registry.url",
                                                URL,
                                                "value.subject.name.strategy",
                                                "ByColour")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.subject.name.strategy")
                .hasMessageContaining("ByColour")
                .hasMessageContaining("TopicRecordNameStrategy");
    }

    @Test
    void shouldRequireUserInfoWhenTheCredentialsSourceIsUserInfo() {
        assertThatThrownBy(
                        () ->
                                new AvroSerdeConfig(
                                        Map.of(
                                                "schema.registry.url",
                                                URL,
                                                "basic.auth.credentials.source",
                                                "USER_INFO")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void shouldRefuseBearerAndBasicAuthTogether() {
        assertThatThrownBy(
                        () ->
                                new AvroSerdeConfig(
                                        Map.of(
                                                "schema.registry.url",
                                                "http://u:p@localhost:8081",
                                                "bearer.auth.token",
                                                "t0k3n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bearer.auth.token");
    }

    @Test
    void shouldRejectANonPositiveCacheSize() {
        assertThatThrownBy(
                        () ->
                                new AvroSerdeConfig(
                                        Map.of(
                                                "schema.registry.url",
                                                URL,
                                                "max.schemas.per.subject",
                                                "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max.schemas.per.subject");
    }

    @Test
    void shouldNameSubjectsByEachStrategy() {
        var schema = io.forwardloop.schemas.avro.Feedback.getClassSchema();
        assertThat(SubjectNameStrategy.TOPIC_NAME.subject("feedback", true, schema))
                .isEqualTo("feedback-key");
        assertThat(SubjectNameStrategy.RECORD_NAME.subject("feedback", false, schema))
                .isEqualTo("io.forwardloop.schemas.avro.Feedback");
        assertThat(SubjectNameStrategy.TOPIC_RECORD_NAME.subject("feedback", false, schema))
                .isEqualTo("feedback-io.forwardloop.schemas.avro.Feedback");
    }
}
