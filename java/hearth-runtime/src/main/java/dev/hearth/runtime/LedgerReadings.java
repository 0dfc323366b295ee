package dev.hearth.runtime;

import dev.hearth.ledger.Budget;
import dev.hearth.ledger.BudgetStatus;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerConfig;
import dev.hearth.ledger.Quality;
import dev.hearth.router.HearthConfig;
import dev.hearth.router.MeasuredQuality;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Between the ledger and the router: the budgets a configuration declares, and what routing reads back. */
final class LedgerReadings {
    private LedgerReadings() {
    }

    /** The ledger the environment names, declaring hearth.toml's {@code [[budget]]}s and HEARTH_MONTHLY_BUDGET_USD. */
    static LedgerConfig config(Map<String, String> env, HearthConfig file) {
        List<Budget> budgets = new ArrayList<>();
        for (HearthConfig.BudgetLine line : file.budgets()) {
            var kind = Budget.ScopeKind.valueOf(line.scope().toUpperCase(Locale.ROOT));
            var scope = kind == Budget.ScopeKind.GLOBAL ? Budget.Scope.GLOBAL : new Budget.Scope(kind, line.name());
            budgets.add(new Budget(scope, Budget.Period.valueOf(line.period().toUpperCase(Locale.ROOT)),
                    line.limitUsd(), line.softUsd()));
        }
        return LedgerConfig.fromEnvironment(env).withBudgets(budgets);
    }

    /** The global monthly budget: its limit and what is spent and held this month; null when there is none. */
    static dev.hearth.router.Budget.Reading month(Ledger ledger) {
        for (BudgetStatus s : ledger.budgets()) {
            if (s.budget().scope().equals(Budget.Scope.GLOBAL) && s.budget().period() == Budget.Period.MONTH) {
                return new dev.hearth.router.Budget.Reading(s.budget().limitUsd().doubleValue(),
                        s.spentUsd().add(s.reservedUsd()).doubleValue());
            }
        }
        return null;
    }

    /** Callers' scores per model and task class. */
    static List<MeasuredQuality.Scores> scores(Ledger ledger) {
        return ledger.quality().stream().map((Quality q) -> new MeasuredQuality.Scores(q.model(), q.taskClass(),
                q.scored(), q.scoreSum())).toList();
    }
}
