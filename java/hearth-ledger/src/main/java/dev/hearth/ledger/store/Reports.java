package dev.hearth.ledger.store;

import dev.hearth.ledger.Budget;
import dev.hearth.ledger.SpendReport;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/** Spend reports from the daily rollups, and retention pruning in small batches. */
final class Reports {
    private Reports() {
    }

    static SpendReport spend(Db db, YearMonth month, SpendReport.GroupBy by) {
        String from = month.atDay(1).toString();
        String to = month.plusMonths(1).atDay(1).toString();
        String column = by.column();
        return db.read("report the spend of " + month, c -> {
            List<SpendReport.Row> rows = Sql.query(c, "SELECT " + column + ", SUM(calls), SUM(input_tokens),"
                    + " SUM(output_tokens), SUM(cost_nanos), SUM(baseline_nanos), SUM(cache_hits), SUM(saved_nanos)"
                    + " FROM daily_rollup WHERE day >= ? AND day < ? GROUP BY " + column + " ORDER BY " + column,
                    r -> new SpendReport.Row(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4),
                            Money.usd(r.getLong(5)), Money.usd(r.getLong(6)), r.getLong(7), Money.usd(r.getLong(8))),
                    from, to);
            BigDecimal spent = rows.stream().map(SpendReport.Row::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal baseline = rows.stream().map(SpendReport.Row::baselineUsd)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            Optional<Long> limit = Sql.one(c, "SELECT limit_nanos FROM budgets WHERE scope_kind = ?"
                    + " AND scope_name = ? AND period = ?", r -> r.getLong(1), Budget.ScopeKind.GLOBAL.name(),
                    Budget.Scope.GLOBAL.name(), Budget.Period.MONTH.name());
            BigDecimal remaining = null;
            if (limit.isPresent()) {
                long used = Sql.one(c, "SELECT spent_nanos + reserved_nanos FROM budget_spend WHERE scope_kind = ?"
                        + " AND scope_name = ? AND period = ? AND period_key = ?", r -> r.getLong(1),
                        Budget.ScopeKind.GLOBAL.name(), Budget.Scope.GLOBAL.name(), Budget.Period.MONTH.name(),
                        month.toString()).orElse(0L);
                remaining = Money.usd(Math.max(0, limit.get() - used));
            }
            long hits = rows.stream().mapToLong(SpendReport.Row::cacheHits).sum();
            BigDecimal saved = rows.stream().map(SpendReport.Row::cacheSavedUsd)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            return new SpendReport(month.toString(), by, spent, limit.map(Money::usd).orElse(null), remaining,
                    baseline.subtract(spent), rows, hits, saved);
        });
    }

    static int prune(Db db, long cutoffMillis, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("prune at least one call per batch; got " + batchSize);
        }
        int total = 0;
        while (true) {
            int n = db.write("prune old calls", c -> pruneBatch(c, cutoffMillis, batchSize));
            total += n;
            if (n < batchSize) {
                return total;
            }
        }
    }

    private static int pruneBatch(Tx c, long cutoffMillis, int batchSize) throws SQLException {
        List<String> ids = Sql.query(c, "SELECT id FROM calls WHERE started_at < ? ORDER BY started_at LIMIT ?",
                r -> r.getString(1), cutoffMillis, batchSize);
        for (String id : ids) {
            Sql.update(c, "DELETE FROM trace_events WHERE call_id = ?", id);
            Sql.update(c, "DELETE FROM call_content WHERE call_id = ?", id);
            if (Sql.update(c, "DELETE FROM reservations WHERE call_id = ? AND state <> 'open'", id) == 1) {
                Sql.update(c, "DELETE FROM reservation_lines WHERE call_id = ?", id);
            }
            Sql.update(c, "DELETE FROM calls WHERE id = ?", id);
        }
        return ids.size();
    }
}
