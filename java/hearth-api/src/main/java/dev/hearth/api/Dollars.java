package dev.hearth.api;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How Hearth writes US dollars in a message (a budget refusal, a routing reason): to the cent from ten cents up
 * ({@code $12.35}, {@code $0.50}), and below that to two significant digits ({@code $0.0055}, not {@code $0.01}), so a
 * small budget's limit, spend and the cost of one call stay apart. The one rule for money in messages; reports that
 * list exact amounts ({@code hearth budgets}, {@code hearth spend}) print them in full. Stateless.
 */
public final class Dollars {
    private static final BigDecimal TEN_CENTS = new BigDecimal("0.10");

    private Dollars() {
    }

    /** {@code usd} as {@code $0.0055}, {@code $0.50} or {@code $12.35} (half up); {@code $0.00} for zero. */
    public static String format(BigDecimal usd) {
        BigDecimal shown;
        if (usd.signum() == 0 || usd.abs().compareTo(TEN_CENTS) >= 0) {
            shown = usd.setScale(2, RoundingMode.HALF_UP);
        } else {
            BigDecimal two = usd.round(new MathContext(2, RoundingMode.HALF_UP)).stripTrailingZeros();
            shown = two.setScale(Math.max(2, two.scale()), RoundingMode.UNNECESSARY);
        }
        return (shown.signum() < 0 ? "-$" : "$") + shown.abs().toPlainString();
    }

    /** The same rule for an amount held as a double (the router's estimates). */
    public static String format(double usd) {
        return format(BigDecimal.valueOf(usd));
    }
}
