package io.forwardloop.registry.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.AdapterSummary;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.AliasInfo;
import io.forwardloop.registry.Lineage;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.RegistryException.Reason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adapter versions, artifacts and aliases in the database.
 *
 * <p>Every write runs in one transaction that first locks the adapter's row, so writes to one
 * adapter are serialized and version numbers are dense and increasing. Alias moves write their
 * outbox event in the same transaction (see {@link AliasMoves}).
 */
public final class RegistryStore {
    static final String VERSION_COLUMNS =
            "v.adapter_name, v.version, v.artifact_sha256, a.size_bytes, v.kind, v.encoder_id,"
                    + " v.labels_json, v.metrics_json, v.hyperparameters_json, v.parent_version,"
                    + " v.step_from, v.step_to, v.data_from_ms, v.data_to_ms, v.created_at_ms,"
                    + " v.retired_at_ms";
    static final String VERSION_FROM =
            " FROM adapter_versions v JOIN artifacts a ON a.sha256 = v.artifact_sha256";

    private final Transactions tx;
    private final ObjectMapper mapper = Json.strict();
    private final Clock clock;
    private final AliasMoves aliasMoves;

    public RegistryStore(Database database, Clock clock) {
        this.tx = new Transactions(database);
        this.clock = clock;
        this.aliasMoves = new AliasMoves(this, clock);
    }

    /** The outcome of a publish: the version, and whether this call created it. */
    public record Published(AdapterVersion version, boolean created) {}

    /**
     * Stores {@code artifact} as the next version of {@code name}; the same bytes published again
     * under the same adapter return the existing version.
     */
    public Published publish(String name, byte[] artifact, String sha256, AdapterMetadata meta) {
        Validation.adapterName(name);
        Validation.metadata(meta);
        return tx.run(
                "publish a version of " + name, c -> publish(c, name, artifact, sha256, meta));
    }

    private Published publish(
            Connection c, String name, byte[] artifact, String sha256, AdapterMetadata meta)
            throws SQLException {
        long now = clock.millis();
        Sql.update(
                c,
                "INSERT INTO adapters (name, latest_version, created_at_ms) SELECT ?, 0, ?"
                        + " WHERE NOT EXISTS (SELECT 1 FROM adapters WHERE name = ?)",
                name,
                now,
                name);
        long latest = lockAdapter(c, name).orElseThrow();
        Optional<AdapterVersion> existing = versionBySha(c, name, sha256);
        if (existing.isPresent()) {
            return new Published(existing.get(), false);
        }
        checkParent(c, name, meta.lineage());
        storeArtifact(c, sha256, artifact, now);
        insertVersion(c, name, latest + 1, sha256, meta, now);
        Sql.update(c, "UPDATE adapters SET latest_version = ? WHERE name = ?", latest + 1, name);
        return new Published(version(c, name, latest + 1), true);
    }

    /** Locks the adapter's row for this transaction; returns its latest version, if it exists. */
    Optional<Long> lockAdapter(Connection c, String name) throws SQLException {
        return Sql.one(
                c,
                "SELECT latest_version FROM adapters WHERE name = ? FOR UPDATE",
                rs -> rs.getLong(1),
                name);
    }

    private void checkParent(Connection c, String name, Lineage lineage) throws SQLException {
        Long parent = lineage.parentVersion();
        if (parent != null && findVersion(c, name, parent).isEmpty()) {
            throw Validation.bad(
                    "lineage.parent_version "
                            + parent
                            + " of adapter '"
                            + name
                            + "' does not exist; publish the parent first or omit it");
        }
    }

    private void storeArtifact(Connection c, String sha256, byte[] artifact, long now)
            throws SQLException {
        Sql.update(
                c,
                "INSERT INTO artifacts (sha256, size_bytes, content, created_at_ms)"
                        + " SELECT ?, ?, ?, ? WHERE NOT EXISTS"
                        + " (SELECT 1 FROM artifacts WHERE sha256 = ?)",
                sha256,
                (long) artifact.length,
                artifact,
                now,
                sha256);
    }

    private void insertVersion(
            Connection c, String name, long version, String sha, AdapterMetadata m, long now)
            throws SQLException {
        Lineage l = m.lineage();
        Sql.update(
                c,
                "INSERT INTO adapter_versions (adapter_name, version, artifact_sha256, kind,"
                        + " encoder_id, labels_json, metrics_json, hyperparameters_json,"
                        + " parent_version, step_from, step_to, data_from_ms, data_to_ms,"
                        + " created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                name,
                version,
                sha,
                m.kind(),
                m.encoderId(),
                Json.write(mapper, m.labels()),
                Json.write(mapper, m.metrics()),
                Json.write(mapper, m.hyperparameters()),
                l.parentVersion(),
                l.stepFrom(),
                l.stepTo(),
                l.dataFromMs(),
                l.dataToMs(),
                now);
    }

    // ---- reads

    /** Returns a version, or fails with NOT_FOUND naming what is missing. */
    public AdapterVersion version(String name, long version) {
        return tx.read("read version " + version + " of " + name, c -> version(c, name, version));
    }

    AdapterVersion version(Connection c, String name, long version) throws SQLException {
        Optional<AdapterVersion> found = findVersion(c, name, version);
        if (found.isPresent()) {
            return found.get();
        }
        adapterSummary(c, name);
        throw new RegistryException(
                Reason.NOT_FOUND,
                "adapter '" + name + "' has no version " + version + "; list its versions");
    }

    private Optional<AdapterVersion> findVersion(Connection c, String name, long version)
            throws SQLException {
        return Sql.one(
                c,
                "SELECT "
                        + VERSION_COLUMNS
                        + VERSION_FROM
                        + " WHERE v.adapter_name = ? AND"
                        + " v.version = ?",
                this::versionRow,
                name,
                version);
    }

    private Optional<AdapterVersion> versionBySha(Connection c, String name, String sha)
            throws SQLException {
        return Sql.one(
                c,
                "SELECT "
                        + VERSION_COLUMNS
                        + VERSION_FROM
                        + " WHERE v.adapter_name = ? AND"
                        + " v.artifact_sha256 = ?",
                this::versionRow,
                name,
                sha);
    }

    /** Returns every version of an adapter, oldest first. */
    public List<AdapterVersion> versions(String name) {
        return tx.read(
                "list versions of " + name,
                c -> {
                    adapterSummary(c, name);
                    return Sql.list(
                            c,
                            "SELECT "
                                    + VERSION_COLUMNS
                                    + VERSION_FROM
                                    + " WHERE v.adapter_name = ? ORDER BY v.version",
                            this::versionRow,
                            name);
                });
    }

    /** Returns the chain from {@code version} back through its parents, newest first. */
    public List<AdapterVersion> lineage(String name, long version) {
        return tx.read(
                "read the lineage of " + name + " version " + version,
                c -> {
                    List<AdapterVersion> chain = new ArrayList<>();
                    AdapterVersion v = version(c, name, version);
                    chain.add(v);
                    while (v.lineage().parentVersion() != null) {
                        v = version(c, name, v.lineage().parentVersion());
                        chain.add(v);
                    }
                    return chain;
                });
    }

    /** Returns every adapter, by name. */
    public List<AdapterSummary> adapters() {
        return tx.read(
                "list adapters",
                c -> {
                    List<AdapterSummary> out = new ArrayList<>();
                    for (String name : adapterNames(c)) {
                        out.add(adapterSummary(c, name));
                    }
                    return out;
                });
    }

    private static List<String> adapterNames(Connection c) throws SQLException {
        return Sql.list(
                c,
                "SELECT name FROM adapters WHERE latest_version > 0 ORDER BY name",
                rs -> rs.getString(1));
    }

    /** Returns one adapter, or fails with NOT_FOUND. */
    public AdapterSummary adapter(String name) {
        return tx.read("read adapter " + name, c -> adapterSummary(c, name));
    }

    AdapterSummary adapterSummary(Connection c, String name) throws SQLException {
        Optional<long[]> row =
                Sql.one(
                        c,
                        "SELECT latest_version, created_at_ms, (SELECT COUNT(*) FROM"
                                + " adapter_versions WHERE adapter_name = ?) FROM adapters"
                                + " WHERE name = ? AND latest_version > 0",
                        rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)},
                        name,
                        name);
        long[] r = row.orElseThrow(() -> unknownAdapter(name));
        Map<String, Long> aliases = new LinkedHashMap<>();
        for (AliasInfo alias : aliases(c, name)) {
            aliases.put(alias.alias(), alias.version());
        }
        return new AdapterSummary(name, r[0], r[2], aliases, r[1]);
    }

    static RegistryException unknownAdapter(String name) {
        return new RegistryException(
                Reason.NOT_FOUND,
                "adapter '" + name + "' does not exist; publish a version of it first");
    }

    /** Returns the artifact with this SHA-256, or fails with NOT_FOUND. */
    public byte[] artifact(String sha256) {
        Validation.sha256(sha256);
        return tx.read(
                "read artifact " + sha256,
                c ->
                        Sql.one(
                                        c,
                                        "SELECT content FROM artifacts WHERE sha256 = ?",
                                        rs -> rs.getBytes(1),
                                        sha256)
                                .orElseThrow(
                                        () ->
                                                new RegistryException(
                                                        Reason.NOT_FOUND,
                                                        "no artifact has SHA-256 "
                                                                + sha256
                                                                + "; check the hash")));
    }

    // ---- aliases

    /** Returns where an alias points, or fails with NOT_FOUND. */
    public AliasInfo alias(String name, String alias) {
        return tx.read(
                "read alias " + alias + " of " + name, c -> aliasMoves.current(c, name, alias));
    }

    /** Returns every alias of an adapter, by alias name. */
    public List<AliasInfo> aliases(String name) {
        return tx.read("read aliases of " + name, c -> aliases(c, name));
    }

    List<AliasInfo> aliases(Connection c, String name) throws SQLException {
        return Sql.list(
                c,
                "SELECT l.adapter_name, l.alias, l.version, l.previous_version,"
                        + " v.artifact_sha256, l.updated_at_ms FROM aliases l JOIN"
                        + " adapter_versions v ON v.adapter_name = l.adapter_name AND"
                        + " v.version = l.version WHERE l.adapter_name = ? ORDER BY l.alias",
                RegistryStore::aliasRow,
                name);
    }

    /** Points {@code alias} at {@code version} and queues the event; see {@link AliasMoves}. */
    public AliasInfo promote(String name, String alias, long version) {
        Validation.adapterName(name);
        Validation.alias(alias);
        return tx.run(
                "promote " + name + " version " + version + " to " + alias,
                c -> aliasMoves.promote(c, name, alias, version));
    }

    /** Moves {@code alias} back to the version it pointed to before its current one. */
    public AliasInfo rollback(String name, String alias) {
        Validation.adapterName(name);
        Validation.alias(alias);
        return tx.run(
                "roll back " + alias + " of " + name, c -> aliasMoves.rollback(c, name, alias));
    }

    /** Retires a version so that it can no longer be promoted; refused while an alias uses it. */
    public AdapterVersion retire(String name, long version) {
        return tx.run(
                "retire " + name + " version " + version, c -> aliasMoves.retire(c, name, version));
    }

    /** Returns every move of the adapter's aliases, oldest first. */
    public List<AliasMoves.Move> aliasHistory(String name) {
        return tx.read("read alias history of " + name, c -> AliasMoves.history(c, name));
    }

    // ---- outbox

    /** Returns up to {@code limit} unsent events, oldest first. */
    public List<OutboxEvent> unsentEvents(int limit) {
        return tx.read("read the outbox", c -> OutboxEvent.unsent(c, limit));
    }

    /** Marks events as published. */
    public void markSent(List<Long> ids) {
        long now = clock.millis();
        tx.run(
                "mark outbox events sent",
                c -> {
                    for (long id : ids) {
                        Sql.update(c, "UPDATE outbox SET sent_at_ms = ? WHERE id = ?", now, id);
                    }
                    return null;
                });
    }

    /** Returns how many events wait to be published. */
    public long pendingEvents() {
        return tx.read(
                "count the outbox",
                c ->
                        Sql.one(
                                        c,
                                        "SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL",
                                        rs -> rs.getLong(1))
                                .orElse(0L));
    }

    // ---- rows

    private AdapterVersion versionRow(ResultSet rs) throws SQLException {
        Lineage lineage =
                new Lineage(
                        Sql.nullableLong(rs, "parent_version"),
                        Sql.nullableLong(rs, "step_from"),
                        Sql.nullableLong(rs, "step_to"),
                        Sql.nullableLong(rs, "data_from_ms"),
                        Sql.nullableLong(rs, "data_to_ms"));
        return new AdapterVersion(
                rs.getString("adapter_name"),
                rs.getLong("version"),
                rs.getString("artifact_sha256"),
                rs.getLong("size_bytes"),
                rs.getString("kind"),
                rs.getString("encoder_id"),
                Json.read(mapper, rs.getString("labels_json"), Json.STRINGS),
                Json.read(mapper, rs.getString("metrics_json"), Json.METRICS),
                Json.read(mapper, rs.getString("hyperparameters_json"), Json.OBJECTS),
                lineage,
                rs.getLong("created_at_ms"),
                Sql.nullableLong(rs, "retired_at_ms"));
    }

    static AliasInfo aliasRow(ResultSet rs) throws SQLException {
        return new AliasInfo(
                rs.getString("adapter_name"),
                rs.getString("alias"),
                rs.getLong("version"),
                Sql.nullableLong(rs, "previous_version"),
                rs.getString("artifact_sha256"),
                rs.getLong("updated_at_ms"));
    }
}
