package io.forwardloop.registry.internal;

import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.AliasInfo;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.RegistryException.Reason;
import io.forwardloop.schemas.avro.AdapterEventType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Moves aliases inside a caller's transaction: the alias row, a history row and an outbox row are
 * written together, so an event exists exactly when the move does.
 *
 * <p>Rollback undoes promotions like a stack: it returns the alias to the version it pointed to
 * before the promotion that set its current version, and marks that promotion undone, so repeated
 * rollbacks walk further back.
 */
final class AliasMoves {
    private final RegistryStore store;
    private final Clock clock;

    AliasMoves(RegistryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * One move of an alias.
     *
     * @param version where the alias pointed after the move
     * @param previousVersion where it pointed before, or null
     * @param eventType PROMOTED or ROLLED_BACK
     */
    record Move(
            String alias,
            long version,
            Long previousVersion,
            String eventType,
            boolean rolledBack,
            long movedAtMs) {}

    AliasInfo current(Connection c, String name, String alias) throws SQLException {
        Optional<AliasInfo> found = find(c, name, alias);
        if (found.isPresent()) {
            return found.get();
        }
        store.adapterSummary(c, name);
        throw new RegistryException(
                Reason.NOT_FOUND,
                "adapter '"
                        + name
                        + "' has no alias '"
                        + alias
                        + "'; promote a version to it first");
    }

    private Optional<AliasInfo> find(Connection c, String name, String alias) throws SQLException {
        return Sql.one(
                c,
                "SELECT l.adapter_name, l.alias, l.version, l.previous_version,"
                        + " v.artifact_sha256, l.updated_at_ms FROM aliases l JOIN"
                        + " adapter_versions v ON v.adapter_name = l.adapter_name AND"
                        + " v.version = l.version WHERE l.adapter_name = ? AND l.alias = ?",
                RegistryStore::aliasRow,
                name,
                alias);
    }

    AliasInfo promote(Connection c, String name, String alias, long version) throws SQLException {
        lock(c, name);
        AdapterVersion target = store.version(c, name, version);
        if (target.retired()) {
            throw new RegistryException(
                    Reason.CONFLICT,
                    "version "
                            + version
                            + " of adapter '"
                            + name
                            + "' is retired and cannot be"
                            + " promoted; publish or promote another version");
        }
        Optional<AliasInfo> before = find(c, name, alias);
        if (before.isPresent() && before.get().version() == version) {
            return before.get();
        }
        Long previous = before.map(AliasInfo::version).orElse(null);
        move(c, name, alias, target, previous, AdapterEventType.PROMOTED);
        return current(c, name, alias);
    }

    AliasInfo rollback(Connection c, String name, String alias) throws SQLException {
        lock(c, name);
        AliasInfo now = current(c, name, alias);
        Optional<long[]> promotion = lastPromotion(c, name, alias, now.version());
        if (promotion.isEmpty() || promotion.get()[1] < 0) {
            throw new RegistryException(
                    Reason.CONFLICT,
                    "alias '"
                            + alias
                            + "' of adapter '"
                            + name
                            + "' has no earlier version to"
                            + " roll back to; promote a version explicitly");
        }
        AdapterVersion target = store.version(c, name, promotion.get()[1]);
        if (target.retired()) {
            throw new RegistryException(
                    Reason.CONFLICT,
                    "alias '"
                            + alias
                            + "' would roll back to version "
                            + target.version()
                            + ", which is retired; promote a version explicitly");
        }
        Sql.update(
                c, "UPDATE alias_history SET rolled_back = TRUE WHERE id = ?", promotion.get()[0]);
        move(c, name, alias, target, now.version(), AdapterEventType.ROLLED_BACK);
        return current(c, name, alias);
    }

    /** Returns {id, previous version or -1} of the promotion that set the alias's version. */
    private static Optional<long[]> lastPromotion(
            Connection c, String name, String alias, long version) throws SQLException {
        return Sql.one(
                c,
                "SELECT id, previous_version FROM alias_history WHERE adapter_name = ? AND"
                        + " alias = ? AND version = ? AND event_type = 'PROMOTED' AND"
                        + " rolled_back = FALSE ORDER BY id DESC LIMIT 1",
                rs -> {
                    Long previous = Sql.nullableLong(rs, "previous_version");
                    return new long[] {rs.getLong("id"), previous == null ? -1 : previous};
                },
                name,
                alias,
                version);
    }

    AdapterVersion retire(Connection c, String name, long version) throws SQLException {
        lock(c, name);
        AdapterVersion v = store.version(c, name, version);
        if (v.retired()) {
            return v;
        }
        List<String> users =
                Sql.list(
                        c,
                        "SELECT alias FROM aliases WHERE adapter_name = ? AND version = ?",
                        rs -> rs.getString(1),
                        name,
                        version);
        if (!users.isEmpty()) {
            throw new RegistryException(
                    Reason.CONFLICT,
                    "version "
                            + version
                            + " of adapter '"
                            + name
                            + "' is what "
                            + users
                            + " point to; move those aliases first");
        }
        Sql.update(
                c,
                "UPDATE adapter_versions SET retired_at_ms = ? WHERE adapter_name = ? AND"
                        + " version = ?",
                clock.millis(),
                name,
                version);
        return store.version(c, name, version);
    }

    private void lock(Connection c, String name) throws SQLException {
        if (store.lockAdapter(c, name).filter(latest -> latest > 0).isEmpty()) {
            throw RegistryStore.unknownAdapter(name);
        }
    }

    private void move(
            Connection c,
            String name,
            String alias,
            AdapterVersion target,
            Long previous,
            AdapterEventType type)
            throws SQLException {
        long now = clock.millis();
        upsertAlias(c, name, alias, target.version(), previous, now);
        Sql.update(
                c,
                "INSERT INTO alias_history (adapter_name, alias, version, previous_version,"
                        + " event_type, rolled_back, moved_at_ms) VALUES (?, ?, ?, ?, ?, FALSE, ?)",
                name,
                alias,
                target.version(),
                previous,
                type.name(),
                now);
        Sql.update(
                c,
                "INSERT INTO outbox (adapter_name, alias, version, previous_version,"
                        + " artifact_sha256, event_type, created_at_ms) VALUES (?, ?, ?, ?, ?, ?,"
                        + " ?)",
                name,
                alias,
                target.version(),
                previous,
                target.artifactSha256(),
                type.name(),
                now);
    }

    private static void upsertAlias(
            Connection c, String name, String alias, long version, Long previous, long now)
            throws SQLException {
        int updated =
                Sql.update(
                        c,
                        "UPDATE aliases SET version = ?, previous_version = ?, updated_at_ms = ?"
                                + " WHERE adapter_name = ? AND alias = ?",
                        version,
                        previous,
                        now,
                        name,
                        alias);
        if (updated == 0) {
            Sql.update(
                    c,
                    "INSERT INTO aliases (adapter_name, alias, version, previous_version,"
                            + " updated_at_ms) VALUES (?, ?, ?, ?, ?)",
                    name,
                    alias,
                    version,
                    previous,
                    now);
        }
    }

    static List<Move> history(Connection c, String name) throws SQLException {
        return Sql.list(
                c,
                "SELECT alias, version, previous_version, event_type, rolled_back, moved_at_ms"
                        + " FROM alias_history WHERE adapter_name = ? ORDER BY id",
                rs ->
                        new Move(
                                rs.getString("alias"),
                                rs.getLong("version"),
                                Sql.nullableLong(rs, "previous_version"),
                                rs.getString("event_type"),
                                rs.getBoolean("rolled_back"),
                                rs.getLong("moved_at_ms")),
                name);
    }
}
