package io.forwardloop.registry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh database for one test: an H2 file database in a temp directory, or a new schema in the
 * PostgreSQL server named by {@code FORWARDLOOP_TEST_POSTGRES_URL} (default {@value #DEFAULT_PG}).
 * Each PostgreSQL case gets a schema of its own, dropped by {@link #close()}, so tests and builds
 * sharing the server never see each other's adapters.
 *
 * <p>When PostgreSQL does not answer, its cases are skipped, unless {@code CI=true} or {@code
 * -Dforwardloop.require.postgres=true}, where they fail.
 */
public final class TestDatabase implements AutoCloseable {
    static final String DEFAULT_PG = "jdbc:postgresql://127.0.0.1:5432/forwardloop_test";

    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    private TestDatabase(String url, String user, String password, String schema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    /** Returns a fresh database of {@code kind}: {@code h2} or {@code postgresql}. */
    public static TestDatabase create(String kind, Path tempDir) {
        return switch (kind) {
            case "h2" -> h2(tempDir);
            case "postgresql" -> postgres();
            default -> throw new IllegalArgumentException("unknown database kind " + kind);
        };
    }

    static TestDatabase h2(Path tempDir) {
        String url =
                "jdbc:h2:file:"
                        + tempDir.resolve("registry").toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        return new TestDatabase(url, "", "", null);
    }

    static TestDatabase postgres() {
        String base = env("FORWARDLOOP_TEST_POSTGRES_URL", DEFAULT_PG);
        String user = env("FORWARDLOOP_TEST_POSTGRES_USER", "forwardloop");
        String password = env("FORWARDLOOP_TEST_POSTGRES_PASSWORD", "forwardloop");
        String schema =
                "t_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(base, user, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String reason =
                    "PostgreSQL at "
                            + base
                            + " does not answer ("
                            + e.getMessage()
                            + "); set"
                            + " FORWARDLOOP_TEST_POSTGRES_URL/_USER/_PASSWORD to a server";
            if (required()) {
                throw new AssertionError(
                        reason + " (required: CI=true or forwardloop.require.postgres)", e);
            }
            Assumptions.abort(reason);
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDatabase(url, user, password, schema);
    }

    private static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI"))
                || Boolean.getBoolean("forwardloop.require.postgres");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Returns a registry server builder on this database, on a free port. */
    public ModelRegistryServer.Builder registry() {
        return ModelRegistryServer.builder().port(0).jdbc(url, user, password);
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Drops the PostgreSQL schema; H2 files go with the temp directory. */
    @Override
    public void close() throws SQLException {
        if (schema == null) {
            return;
        }
        String base = url.substring(0, url.lastIndexOf(url.contains("&currentSchema") ? '&' : '?'));
        try (Connection c = DriverManager.getConnection(base, user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
