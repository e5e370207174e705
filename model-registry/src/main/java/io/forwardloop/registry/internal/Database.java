package io.forwardloop.registry.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.RegistryException.Reason;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A pooled JDBC connection to the registry's database, migrated to the current schema. */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Opens a pool on {@code url} and applies the pending migrations.
     *
     * @throws RegistryException when the database cannot be reached or migrated
     */
    public static Database open(String url, String user, String password, int poolSize) {
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config(url, user, password, poolSize));
        } catch (RuntimeException e) {
            throw new RegistryException(
                    Reason.UNAVAILABLE,
                    "cannot connect to the registry database at "
                            + url
                            + ": "
                            + e.getMessage()
                            + "; check registry.jdbc.url, user and password",
                    e);
        }
        try {
            migrate(dataSource, url);
        } catch (RuntimeException e) {
            dataSource.close();
            throw new RegistryException(
                    Reason.UNAVAILABLE,
                    "cannot migrate the registry database at " + url + ": " + e.getMessage(),
                    e);
        }
        return new Database(dataSource);
    }

    private static HikariConfig config(String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setPoolName("model-registry");
        config.setConnectionTimeout(10_000);
        return config;
    }

    private static void migrate(DataSource dataSource, String url) {
        MigrateResult result =
                Flyway.configure()
                        .dataSource(dataSource)
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
        LOG.info(
                "Registry database {} at schema version {} ({} migrations applied)",
                url.replaceAll("password=[^;&]*", "password=***"),
                result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion,
                result.migrationsExecuted);
    }

    /** Returns a pooled connection; close it to give it back. */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Returns whether the database answers a trivial query now. */
    public boolean isReachable() {
        try (Connection c = connection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            LOG.trace("Database readiness check failed", e);
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
