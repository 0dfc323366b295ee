package dev.hearth.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Measured quality of a model on a task class: how many answers were scored (1–5) and their total. */
public record Quality(String model, String taskClass, long scored, long scoreSum) {
    /** The mean score, to two decimals. */
    public BigDecimal mean() {
        return scored == 0 ? BigDecimal.ZERO
                : BigDecimal.valueOf(scoreSum).divide(BigDecimal.valueOf(scored), 2, RoundingMode.HALF_UP);
    }
}
