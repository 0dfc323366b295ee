package dev.hearth.ledger;

/**
 * The ledger could not write (or read) in time: the database stayed locked past the configured deadline
 * ({@link LedgerConfig#lockTimeout()}), the disk is full or read-only, or PostgreSQL cannot be reached. Nothing was
 * recorded by the call that threw. A caller about to spend money must refuse the call (a reservation was not made);
 * a local call may still answer, logging and counting the failure.
 */
public final class LedgerUnavailableException extends LedgerException {
    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
