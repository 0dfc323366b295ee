package dev.hearth.ledger.store;

import java.sql.SQLException;

/**
 * A database the ledger writes to: each {@link #write} is one transaction that holds the database's write lock from
 * its start (SQLite: {@code BEGIN IMMEDIATE}; PostgreSQL: row locks taken by its statements), each {@link #read} a
 * consistent snapshot. Failures to reach or write the database become
 * {@link dev.hearth.ledger.LedgerUnavailableException}s naming {@code what} was being done.
 */
interface Db extends AutoCloseable {
    /** The work of one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** Which migration scripts this database takes ({@code db/<dialect>/V*.sql}). */
    String dialect();

    /** Where the data lives, for messages (never a password). */
    String describe();

    <T> T write(String what, Work<T> work);

    <T> T read(String what, Work<T> work);

    @Override
    void close();
}
