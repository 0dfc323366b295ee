package dev.hearth.ledger.store;

import dev.hearth.ledger.Budget;
import dev.hearth.ledger.BudgetExceededException;
import dev.hearth.ledger.BudgetStatus;
import dev.hearth.ledger.GenAi;
import dev.hearth.ledger.Reservation;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets, their per-period counters and reservations. A counter is only ever changed by one conditional
 * {@code UPDATE} inside a write transaction, and the counters of one reservation are taken in one order (scope kind,
 * name, period), so processes sharing the database neither overspend nor deadlock.
 */
final class BudgetBook {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetBook.class);
    private static final String KEY = " WHERE scope_kind = ? AND scope_name = ? AND period = ? AND period_key = ?";
    private static final Comparator<Budget> ORDER = Comparator.comparing(Budget::scope)
            .thenComparing(Budget::period);

    private final Db db;
    private final Clock clock;
    private final Duration staleAfter;
    private final TraceWriter trace;

    BudgetBook(Db db, Clock clock, Duration staleAfter, TraceWriter trace) {
        this.db = db;
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.trace = trace;
    }

    /** Writes trace events inside the caller's transaction. */
    @FunctionalInterface
    interface TraceWriter {
        void write(Tx c, String callId, String name, Map<String, String> attributes) throws SQLException;
    }

    private record Line(Budget budget, String periodKey) {
        Object[] key() {
            return new Object[] {budget.scope().kind().name(), budget.scope().name(), budget.period().name(),
                    periodKey};
        }
    }

    void set(Budget b) {
        db.write("set a budget", c -> set(c, b, "set"));
    }

    /** Sets a budget; {@code origin} is {@code config} for the configuration's, {@code set} for one set by hand. */
    static int set(Tx c, Budget b, String origin) throws SQLException {
        return Sql.update(c, "INSERT INTO budgets (scope_kind, scope_name, period, limit_nanos, soft_nanos, origin)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope_kind, scope_name, period) DO UPDATE SET"
                + " limit_nanos = excluded.limit_nanos, soft_nanos = excluded.soft_nanos, origin = excluded.origin",
                b.scope().kind().name(), b.scope().name(), b.period().name(), Money.nanos(b.limitUsd()),
                Sql.bigint(b.softLimitUsd() == null ? null : Money.nanos(b.softLimitUsd())), origin);
    }

    /**
     * Makes the configuration's budgets those in effect, in one transaction: each is set (taking over a budget of the
     * same scope and period that was set by hand), and a budget an earlier configuration declared but this one does
     * not is removed. Budgets set by hand (the CLI, the admin API) are left alone.
     */
    void declare(List<Budget> declared) {
        db.write("apply the configuration's budgets", c -> {
            List<Object[]> before = Sql.query(c, "SELECT scope_kind, scope_name, period FROM budgets"
                    + " WHERE origin = 'config'", r -> new Object[] {r.getString(1), r.getString(2), r.getString(3)});
            for (Object[] key : before) {
                boolean kept = declared.stream().anyMatch(b -> b.scope().kind().name().equals(key[0])
                        && b.scope().name().equals(key[1]) && b.period().name().equals(key[2]));
                if (!kept) {
                    Sql.update(c, "DELETE FROM budgets WHERE scope_kind = ? AND scope_name = ? AND period = ?", key);
                    LOG.info("budget {} {} per {} is no longer in the configuration; removed", key[0], key[1], key[2]);
                }
            }
            for (Budget b : declared) {
                set(c, b, "config");
            }
            return null;
        });
    }

    /** Sets one budget as the configuration's, removing none. */
    void setDeclared(Budget b) {
        db.write("set a budget", c -> set(c, b, "config"));
    }

    boolean remove(Budget.Scope scope, Budget.Period period) {
        return db.write("remove a budget", c -> Sql.update(c,
                "DELETE FROM budgets WHERE scope_kind = ? AND scope_name = ? AND period = ?",
                scope.kind().name(), scope.name(), period.name()) == 1);
    }

    private static Budget budget(ResultSet r) throws SQLException {
        var scope = new Budget.Scope(Budget.ScopeKind.valueOf(r.getString("scope_kind")), r.getString("scope_name"));
        Long soft = Sql.nullableLong(r, "soft_nanos");
        return new Budget(scope, Budget.Period.valueOf(r.getString("period")), Money.usd(r.getLong("limit_nanos")),
                soft == null ? null : Money.usd(soft));
    }

    List<BudgetStatus> statuses() {
        Instant now = clock.instant();
        return db.read("read its budgets", c -> Sql.query(c, "SELECT b.scope_kind, b.scope_name, b.period,"
                + " b.limit_nanos, b.soft_nanos, s.period_key, s.spent_nanos, s.reserved_nanos FROM budgets b"
                + " LEFT JOIN budget_spend s ON s.scope_kind = b.scope_kind AND s.scope_name = b.scope_name"
                + " AND s.period = b.period AND s.period_key = CASE b.period WHEN 'DAY' THEN ? ELSE ? END"
                + " ORDER BY b.scope_kind, b.scope_name, b.period", r -> {
                    Budget b = budget(r);
                    return new BudgetStatus(b, b.period().keyAt(now), Money.usd(r.getLong("spent_nanos")),
                            Money.usd(r.getLong("reserved_nanos")));
                }, Budget.Period.DAY.keyAt(now), Budget.Period.MONTH.keyAt(now)));
    }

    Reservation reserve(String callId, BigDecimal amountUsd, Collection<Budget.Scope> scopes) {
        return reserve(callId, amountUsd, scopes, null);
    }

    /**
     * Reserves as {@link #reserve(String, BigDecimal, Collection)} does, running {@code first} (when not null) in the same
     * transaction before it, and again (alone) when the reservation is refused, so what it writes is kept either way.
     */
    Reservation reserve(String callId, BigDecimal amountUsd, Collection<Budget.Scope> scopes, Db.Work<?> first) {
        if (amountUsd == null || amountUsd.signum() < 0) {
            throw new IllegalArgumentException("a reservation is zero or more US dollars; got " + amountUsd
                    + " for call " + callId);
        }
        long amount = Money.nanosUp(amountUsd);
        TreeSet<Budget.Scope> wanted = new TreeSet<>(scopes);
        wanted.add(Budget.Scope.GLOBAL);
        try {
            return db.write("reserve $" + amountUsd.toPlainString() + " for call " + callId, c -> {
                if (first != null) {
                    first.run(c);
                }
                return reserve(c, callId, amount, wanted);
            });
        } catch (BudgetExceededException e) {
            db.write("record a budget refusal", c -> {
                if (first != null) {
                    first.run(c);
                }
                if (Sql.one(c, "SELECT 1 FROM calls WHERE id = ?", r -> 1, callId).isPresent()) {
                    trace.write(c, callId, GenAi.EVENT_BUDGET_REFUSED, Map.of(GenAi.HEARTH_BUDGET,
                            e.budget().scope() + " per " + e.budget().period().label(), GenAi.HEARTH_COST_USD,
                            e.requested().toPlainString()));
                }
                return null;
            });
            throw e;
        }
    }

    private Reservation reserve(Tx c, String callId, long amount, TreeSet<Budget.Scope> wanted)
            throws SQLException {
        long now = clock.millis();
        if (Sql.update(c, "INSERT INTO reservations (call_id, created_at, amount_nanos, state) VALUES (?, ?, ?,"
                + " 'open') ON CONFLICT (call_id) DO NOTHING", callId, now, amount) == 0) {
            return existing(c, callId);
        }
        List<Line> lines = new ArrayList<>();
        for (Budget b : Sql.query(c, "SELECT * FROM budgets", BudgetBook::budget)) {
            if (wanted.contains(b.scope())) {
                lines.add(new Line(b, b.period().keyAt(Instant.ofEpochMilli(now))));
            }
        }
        lines.sort(Comparator.comparing(Line::budget, ORDER));
        for (Line line : lines) {
            long limit = Money.nanos(line.budget().limitUsd());
            // one statement: a period's first reservation makes its counter row (no more than the limit, checked
            // first); a later one adds to it only if spent + reserved + amount stays within the limit
            if (amount > limit || Sql.update(c, "INSERT INTO budget_spend (scope_kind, scope_name, period,"
                    + " period_key, reserved_nanos) VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope_kind, scope_name,"
                    + " period, period_key) DO UPDATE SET reserved_nanos = budget_spend.reserved_nanos"
                    + " + excluded.reserved_nanos WHERE budget_spend.spent_nanos + budget_spend.reserved_nanos"
                    + " + excluded.reserved_nanos <= ?", concat(line.key(), amount, limit)) == 0) {
                long[] counters = Sql.one(c, "SELECT spent_nanos, reserved_nanos FROM budget_spend" + KEY,
                        r -> new long[] {r.getLong(1), r.getLong(2)}, line.key()).orElse(new long[2]);
                throw new BudgetExceededException(line.budget(), line.periodKey(), Money.usd(counters[0]),
                        Money.usd(counters[1]), Money.usd(amount));
            }
        }
        List<Budget> soft = new ArrayList<>();
        for (Line line : lines) {
            Sql.update(c, "INSERT INTO reservation_lines (call_id, scope_kind, scope_name, period, period_key)"
                    + " VALUES (?, ?, ?, ?, ?)", concat(callId, line.key()));
            BigDecimal softUsd = line.budget().softLimitUsd();
            if (softUsd != null && Sql.update(c, "UPDATE budget_spend SET soft_notified = 1" + KEY
                    + " AND soft_notified = 0 AND spent_nanos + reserved_nanos >= ?",
                    concat(line.key(), Money.nanos(softUsd))) == 1) {
                soft.add(line.budget());
                if (Sql.one(c, "SELECT 1 FROM calls WHERE id = ?", r -> 1, callId).isPresent()) {
                    trace.write(c, callId, GenAi.EVENT_SOFT_LIMIT, Map.of(GenAi.HEARTH_BUDGET,
                            line.budget().scope() + " per " + line.budget().period().label()));
                }
                LOG.warn("budget {} per {} reached its soft limit ${} in {} (limit ${})", line.budget().scope(),
                        line.budget().period().label(), softUsd.toPlainString(), line.periodKey(),
                        line.budget().limitUsd().toPlainString());
            }
        }
        return new Reservation(callId, Money.usd(amount), lines.stream().map(Line::budget).toList(), soft, false);
    }

    private static Reservation existing(Tx c, String callId) throws SQLException {
        long amount = Sql.one(c, "SELECT amount_nanos FROM reservations WHERE call_id = ?", r -> r.getLong(1),
                callId).orElseThrow();
        List<Budget> budgets = Sql.query(c, "SELECT b.* FROM reservation_lines l JOIN budgets b ON"
                + " b.scope_kind = l.scope_kind AND b.scope_name = l.scope_name AND b.period = l.period"
                + " WHERE l.call_id = ? ORDER BY l.scope_kind, l.scope_name, l.period", BudgetBook::budget, callId);
        return new Reservation(callId, Money.usd(amount), budgets, List.of(), true);
    }

    private static List<Line> lines(Tx c, String callId) throws SQLException {
        return Sql.query(c, "SELECT scope_kind, scope_name, period, period_key FROM reservation_lines"
                + " WHERE call_id = ? ORDER BY scope_kind, scope_name, period", r -> new Line(Budget.of(
                        new Budget.Scope(Budget.ScopeKind.valueOf(r.getString(1)), r.getString(2)),
                        Budget.Period.valueOf(r.getString(3)), BigDecimal.ZERO), r.getString(4)), callId);
    }

    boolean settle(String callId, BigDecimal actualUsd) {
        return db.write("settle call " + callId, c -> settle(c, callId, actualUsd));
    }

    /** Settles inside the caller's write transaction. */
    static boolean settle(Tx c, String callId, BigDecimal actualUsd) throws SQLException {
        if (actualUsd == null || actualUsd.signum() < 0) {
            throw new IllegalArgumentException("a call's actual cost is zero or more US dollars; got " + actualUsd
                    + " for call " + callId);
        }
        long actual = Money.nanos(actualUsd);
        long amount = Sql.one(c, "SELECT amount_nanos FROM reservations WHERE call_id = ?", r -> r.getLong(1),
                callId).orElseThrow(() -> new IllegalArgumentException("call " + callId + " has no reservation"
                        + " to settle; reserve before sending a call under a budget"));
        if (Sql.update(c, "UPDATE reservations SET state = 'settled', actual_nanos = ? WHERE call_id = ?"
                + " AND state = 'open'", actual, callId) == 1) {
            for (Line line : lines(c, callId)) {
                Sql.update(c, "UPDATE budget_spend SET reserved_nanos = reserved_nanos - ?,"
                        + " spent_nanos = spent_nanos + ?" + KEY, concat(amount, actual, line.key()));
            }
            return true;
        }
        if (Sql.update(c, "UPDATE reservations SET state = 'settled', actual_nanos = ? WHERE call_id = ?"
                + " AND state = 'expired'", actual, callId) == 1) {
            for (Line line : lines(c, callId)) {
                Sql.update(c, "UPDATE budget_spend SET spent_nanos = spent_nanos + ?" + KEY,
                        concat(actual - amount, line.key()));
            }
            return true;
        }
        return false;
    }

    int reconcile() {
        long cutoff = clock.millis() - staleAfter.toMillis();
        int total = 0;
        while (true) {
            List<String> stale = db.read("find stale reservations", c -> Sql.query(c, "SELECT call_id FROM"
                    + " reservations WHERE state = 'open' AND created_at < ? ORDER BY created_at LIMIT 200",
                    r -> r.getString(1), cutoff));
            if (stale.isEmpty()) {
                return total;
            }
            total += db.write("reconcile stale reservations", c -> {
                int n = 0;
                for (String callId : stale) {
                    n += expire(c, callId);
                }
                return n;
            });
        }
    }

    private static int expire(Tx c, String callId) throws SQLException {
        if (Sql.update(c, "UPDATE reservations SET state = 'expired' WHERE call_id = ? AND state = 'open'",
                callId) == 0) {
            return 0;
        }
        long amount = Sql.one(c, "SELECT amount_nanos FROM reservations WHERE call_id = ?", r -> r.getLong(1),
                callId).orElseThrow();
        for (Line line : lines(c, callId)) {
            Sql.update(c, "UPDATE budget_spend SET reserved_nanos = reserved_nanos - ?, spent_nanos = spent_nanos + ?"
                    + KEY, concat(amount, amount, line.key()));
        }
        Sql.update(c, "UPDATE calls SET outcome = 'abandoned' WHERE id = ? AND ended_at IS NULL", callId);
        LOG.warn("call {} left its reservation of ${} open (its process died?): counted as spent", callId,
                Money.usd(amount).toPlainString());
        return 1;
    }

    private static Object[] concat(Object... parts) {
        List<Object> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof Object[] array) {
                out.addAll(List.of(array));
            } else {
                out.add(p);
            }
        }
        return out.toArray();
    }
}
