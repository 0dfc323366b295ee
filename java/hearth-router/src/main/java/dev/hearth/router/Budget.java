package dev.hearth.router;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The global monthly spending limit on remote models as routing sees it, in US dollars; the month turns over at 00:00
 * UTC on the first. Once it {@linkplain #readFrom reads from} the ledger, the ledger's global monthly budget (its
 * limit, and what every process sharing it spent or holds) is what counts, read at most once a second, so a restart
 * or a second instance neither forgets nor doubles the month's spend; before that (or when the ledger cannot be read)
 * spend is counted here from the usage each remote answer reports. The ledger's reservation is what finally holds the
 * money; this lets a decision go local instead of being refused. Thread-safe.
 */
public final class Budget {
    /** The ledger's global monthly budget: its limit and what is spent and held against it this month. */
    public record Reading(double limit, double spent) {
    }

    private static final long REFRESH_MILLIS = 1_000;
    private final double monthlyLimit;
    private final Clock clock;
    private YearMonth month;
    private double spent;
    private java.util.function.Supplier<Reading> source;
    private java.util.Optional<Reading> reading; // null: to be read
    private long readAt;

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

    /**
     * Reads the limit and the month's spend from {@code ledger} from now on; it gives null while the ledger has no
     * global monthly budget.
     */
    public synchronized void readFrom(java.util.function.Supplier<Reading> ledger) {
        this.source = ledger;
        this.reading = null;
    }

    public synchronized double monthlyLimit() {
        Reading r = reading();
        return r != null ? r.limit() : monthlyLimit;
    }

    public synchronized double spent() {
        Reading r = reading();
        if (r != null) {
            return r.spent();
        }
        turnOver();
        return spent;
    }

    public synchronized double remaining() {
        return Math.max(0, monthlyLimit() - spent());
    }

    // the source's reading, at most a second old; null without a source, when the ledger has no global monthly budget
    // (spend is then counted here), or when it cannot be read
    private Reading reading() {
        if (source == null) {
            return null;
        }
        long now = clock.millis();
        if (reading == null || now - readAt >= REFRESH_MILLIS) {
            readAt = now;
            try {
                reading = java.util.Optional.ofNullable(source.get());
            } catch (RuntimeException e) {
                reading = java.util.Optional.empty(); // counted here until the ledger answers again
            }
        }
        return reading.orElse(null);
    }

    /** Counts a remote answer's cost; with a ledger to read, the next question reads it afresh instead. */
    public synchronized void record(double dollars) {
        turnOver();
        spent += Math.max(0, dollars);
        reading = null;
    }

    public synchronized boolean limited() {
        return monthlyLimit() != Double.POSITIVE_INFINITY;
    }

    private void turnOver() {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        if (!now.equals(month)) {
            month = now;
            spent = 0;
        }
    }
}
