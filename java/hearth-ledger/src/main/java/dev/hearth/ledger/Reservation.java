package dev.hearth.ledger;

import java.math.BigDecimal;
import java.util.List;

/**
 * A committed reservation: {@code amountUsd} held against each budget in {@code budgets} (in their periods at the
 * time of reserving) until {@link Ledger#settle} replaces it with the real cost. {@code softLimitsReached} lists the
 * budgets whose soft limit this reservation reached first in their period (each is also a trace event).
 * {@code existing} is true when the call id had already been reserved (the earlier reservation is returned).
 */
public record Reservation(String callId, BigDecimal amountUsd, List<Budget> budgets, List<Budget> softLimitsReached,
        boolean existing) {
    public Reservation {
        budgets = List.copyOf(budgets);
        softLimitsReached = List.copyOf(softLimitsReached);
    }
}
