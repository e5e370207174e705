package io.forwardloop.registry.internal;

import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.RegistryException.Reason;
import java.sql.Connection;
import java.sql.SQLException;

/** Runs units of work in one database transaction each: all of it is committed, or none. */
final class Transactions {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int ATTEMPTS = 3;

    private final Database database;

    Transactions(Database database) {
        this.database = database;
    }

    /** A unit of work on a connection inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction and commits it; rolls back on any failure. A unique-key
     * race with a concurrent writer is retried a few times, since it can only mean that the other
     * writer created the row first.
     */
    <T> T run(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || attempt == ATTEMPTS) {
                    throw unavailable(what, e);
                }
            }
        }
    }

    /** Runs {@code work} on a connection without a transaction, for reads. */
    <T> T read(String what, Work<T> work) {
        try (Connection c = database.connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    private <T> T once(Work<T> work) throws SQLException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static RegistryException unavailable(String what, SQLException e) {
        return new RegistryException(
                Reason.UNAVAILABLE,
                "the registry database failed to " + what + ": " + e.getMessage() + "; retry",
                e);
    }
}
