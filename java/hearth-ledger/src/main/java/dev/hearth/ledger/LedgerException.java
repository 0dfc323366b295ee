package dev.hearth.ledger;

import dev.hearth.api.HearthException;

/**
 * An error the ledger reports on purpose. Callers act on the type: {@link BudgetExceededException} (a budget would be
 * exceeded: take a local route or reject, quoting the numbers) or {@link LedgerUnavailableException} (the ledger
 * cannot write: refuse calls that spend money, answer local ones and log).
 */
public abstract sealed class LedgerException extends HearthException
        permits BudgetExceededException, LedgerUnavailableException {
    protected LedgerException(String message) {
        super(message);
    }

    protected LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
