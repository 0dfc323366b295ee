/**
 * The ledger's API: {@link dev.hearth.ledger.Ledger} (opened from a {@link dev.hearth.ledger.LedgerConfig}), the
 * records it reads and writes, and its exceptions. A {@code Ledger} is thread-safe and may be shared by every thread of
 * a process; records are immutable.
 */
package dev.hearth.ledger;
