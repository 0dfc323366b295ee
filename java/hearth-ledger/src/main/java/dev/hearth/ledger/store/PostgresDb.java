package dev.hearth.ledger.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hearth.ledger.LedgerConfig;
import dev.hearth.ledger.LedgerUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A PostgreSQL database through a Hikari pool, READ COMMITTED: the ledger's conditional updates re-check their
 * conditions on the row they lock, and multi-row updates take rows in one order, so instances never deadlock. Every
 * connection has {@code lock_timeout} set to the ledger's lock timeout, and waits that long at most for the pool.
 */
final class PostgresDb implements Db {
    private final LedgerConfig.Postgres store;
    private final HikariDataSource pool;

    PostgresDb(LedgerConfig.Postgres store, Duration lockTimeout) {
        this.store = store;
        HikariConfig config = new HikariConfig();
        config.setPoolName("hearth-ledger");
        config.setJdbcUrl(store.jdbcUrl());
        config.setUsername(store.user());
        config.setPassword(store.password());
        config.setMaximumPoolSize(store.poolSize());
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setConnectionTimeout(Math.max(250, lockTimeout.toMillis()));
        config.setConnectionInitSql("SET lock_timeout = '" + lockTimeout.toMillis() + "ms'");
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new LedgerUnavailableException("cannot reach the ledger's PostgreSQL database at " + store.jdbcUrl()
                    + ": " + rootMessage(e) + "; check HEARTH_DATABASE_URL (postgresql://user:password@host:5432/db),"
                    + " that the server runs and that the user may connect", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Override
    public String dialect() {
        return "postgresql";
    }

    @Override
    public String describe() {
        return "PostgreSQL " + store.jdbcUrl();
    }

    @Override
    public <T> T write(String what, Work<T> work) {
        return transaction(what, work);
    }

    @Override
    public <T> T read(String what, Work<T> work) {
        return transaction(what, work);
    }

    private <T> T transaction(String what, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            try {
                T result = work.run(new Tx(c, null));
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerUnavailableException("the ledger (" + describe() + ") could not " + what + ": "
                    + e.getMessage() + "; if the database is locked, full or unreachable, fix it and retry", e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
