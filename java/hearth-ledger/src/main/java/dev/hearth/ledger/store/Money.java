package dev.hearth.ledger.store;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Dollars as integer nano-dollars in the database: exact, and summed and compared in SQL on both stores (SQLite has
 * no decimal type; arithmetic on text would go through doubles). Reservations round up, recorded costs half-up.
 */
final class Money {
    private static final int SCALE = 9;

    private Money() {
    }

    static long nanosUp(BigDecimal usd) {
        return usd.setScale(SCALE, RoundingMode.CEILING).unscaledValue().longValueExact();
    }

    static long nanos(BigDecimal usd) {
        return usd.setScale(SCALE, RoundingMode.HALF_UP).unscaledValue().longValueExact();
    }

    static BigDecimal usd(long nanos) {
        BigDecimal d = BigDecimal.valueOf(nanos, SCALE).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }
}
