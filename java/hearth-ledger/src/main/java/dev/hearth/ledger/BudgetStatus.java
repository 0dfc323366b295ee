package dev.hearth.ledger;

import java.math.BigDecimal;

/** A budget in its current period: settled spend, open reservations and what remains (limit − both, at least 0). */
public record BudgetStatus(Budget budget, String periodKey, BigDecimal spentUsd, BigDecimal reservedUsd) {
    public BigDecimal remainingUsd() {
        return budget.limitUsd().subtract(spentUsd).subtract(reservedUsd).max(BigDecimal.ZERO);
    }
}
