package dev.hearth.ledger;

import dev.hearth.api.Dollars;
import java.math.BigDecimal;

/**
 * A reservation was refused: {@code requested} on top of what {@code budget} has spent and reserved in its current
 * period would pass its limit. Nothing was reserved against any budget.
 */
public final class BudgetExceededException extends LedgerException {
    private final Budget budget;
    private final String periodKey;
    private final BigDecimal spent;
    private final BigDecimal reserved;
    private final BigDecimal requested;

    public BudgetExceededException(Budget budget, String periodKey, BigDecimal spent, BigDecimal reserved,
            BigDecimal requested) {
        super("budget " + budget.scope() + " per " + budget.period().label() + " (" + periodKey + ") would be exceeded:"
                + " limit " + Dollars.format(budget.limitUsd()) + ", spent " + Dollars.format(spent) + ", reserved "
                + Dollars.format(reserved) + ", this call needs up to " + Dollars.format(requested)
                + "; use a local model, lower max tokens, or raise the budget");
        this.budget = budget;
        this.periodKey = periodKey;
        this.spent = spent;
        this.reserved = reserved;
        this.requested = requested;
    }

    public Budget budget() {
        return budget;
    }

    public String periodKey() {
        return periodKey;
    }

    public BigDecimal spent() {
        return spent;
    }

    public BigDecimal reserved() {
        return reserved;
    }

    public BigDecimal requested() {
        return requested;
    }

    /** What is left in the period: limit − spent − reserved (never negative). */
    public BigDecimal remaining() {
        return budget.limitUsd().subtract(spent).subtract(reserved).max(BigDecimal.ZERO);
    }
}
