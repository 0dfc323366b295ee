/**
 * The two stores behind {@link dev.hearth.ledger.Ledger}: one JDBC implementation over a {@code Db} (SQLite: one
 * connection under a lock, transactions begun IMMEDIATE; PostgreSQL: a Hikari pool), with numbered migrations per
 * dialect. Thread-safe; counters are changed by conditional SQL updates, never read-modified-written in Java.
 */
package dev.hearth.ledger.store;
