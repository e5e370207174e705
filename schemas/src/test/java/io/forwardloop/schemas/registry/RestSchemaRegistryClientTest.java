package io.forwardloop.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.schemas.avro.Feedback;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    /** Returns a local port that nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void shouldNameTheUrlAndTheKeyWhenTheRegistryIsUnreachable() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        try (SchemaRegistryClient client =
                SchemaRegistryClients.create(Map.of("schema.registry.url", url))) {
            assertThatThrownBy(() -> client.schemaById(7))
                    .isInstanceOfSatisfying(
                            SchemaRegistryUnreachableException.class,
                            e -> assertThat(e.urls()).containsExactly(url))
                    .hasMessageContaining("schema registry at " + url + " is unreachable")
                    .hasMessageContaining("schema id 7")
                    .hasMessageContaining("check schema.registry.url")
                    .satisfies(
                            e ->
                                    assertThat(((SchemaRegistryException) e).errorCode())
                                            .isEqualTo(-1));
        }
    }

    @Test
    void shouldTryEveryUrlInTurnAndNameThemAll() throws IOException {
        String first = "http://127.0.0.1:" + closedPort();
        String second = "http://user:secret@127.0.0.1:" + closedPort();
        try (SchemaRegistryClient client =
                SchemaRegistryClients.create(Map.of("schema.registry.url", first + "," + second))) {
            assertThatThrownBy(() -> client.register("feedback-value", Feedback.getClassSchema()))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining(first)
                    .hasMessageContaining(second.replace("user:secret@", ""))
                    .hasMessageContaining("subject 'feedback-value'")
                    .hasMessageNotContaining("secret");
        }
    }
}
