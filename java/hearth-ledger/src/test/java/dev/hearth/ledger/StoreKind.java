package dev.hearth.ledger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two stores every ledger test runs on: a fresh SQLite file, or a fresh database in a real PostgreSQL server
 * (zonky's embedded binaries, started once per test JVM and stopped when it exits).
 */
public enum StoreKind {
    SQLITE, POSTGRES;

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    /** A store no test has used yet ({@code dir} holds the SQLite file). */
    public LedgerConfig.Store fresh(Path dir) {
        return switch (this) {
            case SQLITE -> new LedgerConfig.Sqlite(dir.resolve("ledger-" + DATABASES.incrementAndGet() + ".db"));
            case POSTGRES -> freshPostgres();
        };
    }

    /** A fresh store with the ledger's defaults. */
    public LedgerConfig config(Path dir) {
        return LedgerConfig.of(fresh(dir));
    }

    private static LedgerConfig.Postgres freshPostgres() {
        String name = "ledger_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return new LedgerConfig.Postgres("jdbc:postgresql://localhost:" + server().getPort() + "/" + name,
                "postgres", null, 4);
    }

    /** A plain JDBC connection to {@code store}, beside the ledger's own (to lock it, or read what it wrote). */
    static Connection connect(LedgerConfig.Store store) throws SQLException {
        return switch (store) {
            case LedgerConfig.Sqlite s -> DriverManager.getConnection("jdbc:sqlite:" + s.file());
            case LedgerConfig.Postgres p -> DriverManager.getConnection(p.jdbcUrl(), p.user(), p.password());
        };
    }

    /** The test JVM's PostgreSQL server. */
    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting; the server's directory is temporary
                }
            }));
        }
        return server;
    }
}
