package dev.hearth.router;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A monthly spending limit for remote models, in US dollars; the month turns over at 00:00 UTC on the first. Spend
 * is recorded from the usage each remote answer reports, priced by the price table. Thread-safe.
 */
public final class Budget {
    private final double monthlyLimit;
    private final Clock clock;
    private YearMonth month;
    private double spent;

    /** @param monthlyLimit dollars a month; {@code Double.POSITIVE_INFINITY} for none */
    public Budget(double monthlyLimit, Clock clock) {
        if (!(monthlyLimit >= 0)) {
            throw new IllegalArgumentException("a monthly budget must be >= 0 dollars, not " + monthlyLimit);
        }
        this.monthlyLimit = monthlyLimit;
        this.clock = clock;
        this.month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
    }

    public static Budget unlimited() {
        return new Budget(Double.POSITIVE_INFINITY, Clock.systemUTC());
    }

    public double monthlyLimit() {
        return monthlyLimit;
    }

    public synchronized double spent() {
        turnOver();
        return spent;
    }

    public synchronized double remaining() {
        turnOver();
        return Math.max(0, monthlyLimit - spent);
    }

    public synchronized void record(double dollars) {
        turnOver();
        spent += Math.max(0, dollars);
    }

    public boolean limited() {
        return monthlyLimit != Double.POSITIVE_INFINITY;
    }

    private void turnOver() {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        if (!now.equals(month)) {
            month = now;
            spent = 0;
        }
    }
}
