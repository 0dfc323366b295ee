package dev.hearth.ledger.store;

import dev.hearth.ledger.LedgerUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite file in WAL mode through one connection, shared by the process's threads under a lock (SQLite serializes
 * writers anyway; one connection spares them its busy-wait). Writes begin {@code IMMEDIATE}, so the file's write lock
 * is held from the first statement and other processes wait up to the lock timeout ({@code busy_timeout}).
 * {@code synchronous=NORMAL}: a commit survives the process being killed; a power cut may lose the last commits.
 */
final class SqliteDb implements Db {
    private final Path file;
    private final Duration lockTimeout;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Tx tx;
    private boolean closed;

    SqliteDb(Path file, Duration lockTimeout) {
        this.file = file.toAbsolutePath();
        this.lockTimeout = lockTimeout;
        Path dir = this.file.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the ledger's directory " + dir + " (" + e
                    + "); point HEARTH_LEDGER_PATH (or HEARTH_HOME) at a writable place");
        }
        if (Files.exists(this.file) && !Files.isRegularFile(this.file)) {
            throw new IllegalArgumentException("the ledger file " + this.file + " exists but is not a file; point"
                    + " HEARTH_LEDGER_PATH at a file name");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, lockTimeout.toMillis()));
        try {
            connection = config.createConnection("jdbc:sqlite:" + this.file);
        } catch (SQLException e) {
            throw new LedgerUnavailableException("cannot open the ledger at " + this.file + ": " + e.getMessage()
                    + "; check that the file and its directory are writable (HEARTH_LEDGER_PATH moves it)", e);
        }
        tx = new Tx(connection, statements);
    }

    @Override
    public String dialect() {
        return "sqlite";
    }

    @Override
    public String describe() {
        return "SQLite " + file;
    }

    @Override
    public <T> T write(String what, Work<T> work) {
        return transaction(what, "BEGIN IMMEDIATE", work);
    }

    @Override
    public <T> T read(String what, Work<T> work) {
        return transaction(what, "BEGIN", work);
    }

    private <T> T transaction(String what, String begin, Work<T> work) {
        acquire(what);
        try {
            if (closed) {
                throw new IllegalStateException("the ledger at " + file + " is closed");
            }
            tx.prepare(begin).execute();
            try {
                T result = work.run(tx);
                tx.prepare("COMMIT").execute();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(e);
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerUnavailableException("the ledger (" + describe() + ") could not " + what + ": "
                    + e.getMessage() + "; if the database is locked by another process or the disk is full, free it"
                    + " and retry", e);
        } finally {
            lock.unlock();
        }
    }

    private void acquire(String what) {
        try {
            if (!lock.tryLock(lockTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new LedgerUnavailableException("the ledger (" + describe() + ") could not " + what + ": its"
                        + " connection stayed busy for more than " + lockTimeout.toMillis() + " ms", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while waiting to " + what, e);
        }
    }

    private void rollbackQuietly(Exception cause) {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // no transaction was open (BEGIN itself failed): nothing to undo
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                for (PreparedStatement p : statements.values()) {
                    p.close();
                }
                connection.close();
            }
        } catch (SQLException e) {
            throw new LedgerUnavailableException("could not close the ledger at " + file, e);
        } finally {
            lock.unlock();
        }
    }
}
