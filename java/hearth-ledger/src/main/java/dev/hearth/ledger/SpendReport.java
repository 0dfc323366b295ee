package dev.hearth.ledger;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * A month's spend (UTC): settled cost of finished calls, the global monthly budget (null when none is set) and what
 * remains of it (limit − spent − reserved), savings against the baseline, the calls answered from the response cache
 * and what they saved (the cost of the calls whose answers they reused), and one row per group.
 */
public record SpendReport(String month, GroupBy groupBy, BigDecimal spendUsd, BigDecimal budgetUsd,
        BigDecimal remainingUsd, BigDecimal savingsUsd, List<Row> rows, long cacheHits, BigDecimal cacheSavedUsd) {
    /** How rows are grouped; each maps to one column of the daily rollups. */
    public enum GroupBy {
        MODEL("model"), PROVIDER("provider"), KEY("key_name"), AGENT("agent"), DAY("day");

        private final String column;

        GroupBy(String column) {
            this.column = column;
        }

        /** The rollup column this grouping reads (internal; never user text). */
        public String column() {
            return column;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code model|provider|key|agent|day}, or says which spellings exist. */
        public static GroupBy parse(String text) {
            for (GroupBy g : values()) {
                if (g.label().equalsIgnoreCase(text)) {
                    return g;
                }
            }
            throw new IllegalArgumentException("cannot group spend by '" + text
                    + "'; use one of model, provider, key, agent, day");
        }
    }

    /**
     * One group: its key ({@code ""} when calls had none, e.g. no API key), calls, tokens, cost and baseline cost, and
     * of its calls those answered from the response cache, with what they saved.
     */
    public record Row(String key, long calls, long inputTokens, long outputTokens, BigDecimal costUsd,
            BigDecimal baselineUsd, long cacheHits, BigDecimal cacheSavedUsd) {
        public Row {
            cacheSavedUsd = cacheSavedUsd == null ? BigDecimal.ZERO : cacheSavedUsd;
        }

        /** A group none of whose calls was answered from the cache. */
        public Row(String key, long calls, long inputTokens, long outputTokens, BigDecimal costUsd,
                BigDecimal baselineUsd) {
            this(key, calls, inputTokens, outputTokens, costUsd, baselineUsd, 0, BigDecimal.ZERO);
        }
    }

    public SpendReport {
        rows = List.copyOf(rows);
        cacheSavedUsd = cacheSavedUsd == null ? BigDecimal.ZERO : cacheSavedUsd;
    }

    /** A month in which no call was answered from the cache. */
    public SpendReport(String month, GroupBy groupBy, BigDecimal spendUsd, BigDecimal budgetUsd,
            BigDecimal remainingUsd, BigDecimal savingsUsd, List<Row> rows) {
        this(month, groupBy, spendUsd, budgetUsd, remainingUsd, savingsUsd, rows, 0, BigDecimal.ZERO);
    }
}
