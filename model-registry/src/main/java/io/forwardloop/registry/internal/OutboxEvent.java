package io.forwardloop.registry.internal;

import io.forwardloop.schemas.Topics;
import io.forwardloop.schemas.avro.AdapterEvent;
import io.forwardloop.schemas.avro.AdapterEventType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** An adapter event waiting in the outbox to be published. */
public record OutboxEvent(
        long id,
        String adapterName,
        String alias,
        long version,
        Long previousVersion,
        String artifactSha256,
        String eventType,
        long createdAtMs) {

    /** The key on {@code adapter-events}: adapter and alias. */
    public String key() {
        return Topics.adapterAliasKey(adapterName, alias);
    }

    /** The event as the topic carries it. */
    public AdapterEvent toAvro() {
        return AdapterEvent.newBuilder()
                .setAdapterName(adapterName)
                .setAlias(alias)
                .setVersion(version)
                .setPreviousVersion(previousVersion)
                .setArtifactSha256(artifactSha256)
                .setEventType(AdapterEventType.valueOf(eventType))
                .setArtifactUri(null)
                .setTimestampMs(Instant.ofEpochMilli(createdAtMs))
                .build();
    }

    static List<OutboxEvent> unsent(Connection c, int limit) throws SQLException {
        return Sql.list(
                c,
                "SELECT id, adapter_name, alias, version, previous_version, artifact_sha256,"
                        + " event_type, created_at_ms FROM outbox WHERE sent_at_ms IS NULL"
                        + " ORDER BY id LIMIT ?",
                rs ->
                        new OutboxEvent(
                                rs.getLong("id"),
                                rs.getString("adapter_name"),
                                rs.getString("alias"),
                                rs.getLong("version"),
                                Sql.nullableLong(rs, "previous_version"),
                                rs.getString("artifact_sha256"),
                                rs.getString("event_type"),
                                rs.getLong("created_at_ms")),
                limit);
    }
}
