package dev.hearth.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * A {@link SpendReport} as JSON, the one shape {@code hearth spend --json} prints and {@code GET /v1/hearth/spend}
 * answers: {@code month, by, spend_usd, budget_usd, remaining_usd, savings_usd, cache_hits, cache_saved_usd,
 * rows[{key, calls, input_tokens, output_tokens, cost_usd, baseline_usd, cache_hits, cache_saved_usd}]}, amounts as
 * exact decimals (null budget: none is set). Stateless.
 */
public final class SpendJson {
    private SpendJson() {
    }

    public static ObjectNode of(SpendReport report) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("month", report.month());
        o.put("by", report.groupBy().label());
        o.put("spend_usd", report.spendUsd());
        putOrNull(o, "budget_usd", report.budgetUsd());
        putOrNull(o, "remaining_usd", report.remainingUsd());
        o.put("savings_usd", report.savingsUsd());
        o.put("cache_hits", report.cacheHits());
        o.put("cache_saved_usd", report.cacheSavedUsd());
        ArrayNode rows = o.putArray("rows");
        for (SpendReport.Row r : report.rows()) {
            rows.addObject().put("key", r.key()).put("calls", r.calls()).put("input_tokens", r.inputTokens())
                    .put("output_tokens", r.outputTokens()).put("cost_usd", r.costUsd())
                    .put("baseline_usd", r.baselineUsd()).put("cache_hits", r.cacheHits())
                    .put("cache_saved_usd", r.cacheSavedUsd());
        }
        return o;
    }

    /** Budgets in their current period, as {@code hearth budgets list --json} and the admin API print them. */
    public static ArrayNode budgets(java.util.List<BudgetStatus> budgets) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (BudgetStatus s : budgets) {
            ObjectNode b = out.addObject().put("scope", s.budget().scope().kind().label())
                    .put("name", s.budget().scope().name()).put("period", s.budget().period().label())
                    .put("period_key", s.periodKey()).put("limit_usd", s.budget().limitUsd())
                    .put("spent_usd", s.spentUsd()).put("reserved_usd", s.reservedUsd())
                    .put("remaining_usd", s.remainingUsd());
            putOrNull(b, "soft_usd", s.budget().softLimitUsd());
        }
        return out;
    }

    private static void putOrNull(ObjectNode o, String name, BigDecimal value) {
        if (value == null) {
            o.putNull(name);
        } else {
            o.put(name, value);
        }
    }
}
