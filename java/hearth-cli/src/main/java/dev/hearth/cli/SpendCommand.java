package dev.hearth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.SpendJson;
import dev.hearth.ledger.SpendReport;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** hearth spend: a month's spend from the ledger, against the global monthly budget and the baseline. */
@Command(name = "spend", mixinStandardHelpOptions = true,
        description = "Show a month's spend (UTC), the budget left, the savings against the baseline model, and the"
                + " calls the response cache answered with what they saved.")
final class SpendCommand implements Callable<Integer>, TakesEnvironment {
    private Map<String, String> env = Map.of();

    @Option(names = "--month", paramLabel = "YYYY-MM", description = "the month (default: this month, UTC)")
    String month;

    @Option(names = "--by", paramLabel = "GROUP", defaultValue = "model",
            description = "group rows by model, provider, key, agent or day (default: model)")
    String by;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public void environment(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        YearMonth which;
        try {
            which = month == null ? YearMonth.now(ZoneOffset.UTC) : YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--month takes a month as YYYY-MM, e.g. 2026-11; got '" + month + "'");
        }
        SpendReport.GroupBy groupBy = SpendReport.GroupBy.parse(by);
        SpendReport report;
        try (Ledger ledger = dev.hearth.runtime.Hearth.openLedger(env)) {
            report = ledger.spend(which, groupBy);
        }
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(SpendJson.of(report)));
            return 0;
        }
        System.out.printf("spend %s: $%s%s, saved $%s against the baseline%n", report.month(),
                report.spendUsd().toPlainString(), report.budgetUsd() == null ? " (no monthly budget set)"
                        : " of $" + report.budgetUsd().toPlainString() + " (remaining $"
                                + report.remainingUsd().toPlainString() + ")", report.savingsUsd().toPlainString());
        System.out.printf("cache: %d %s, saved $%s%n", report.cacheHits(), report.cacheHits() == 1 ? "hit" : "hits",
                report.cacheSavedUsd().toPlainString());
        if (report.rows().isEmpty()) {
            System.out.println("no calls recorded in " + report.month());
            return 0;
        }
        System.out.printf("%-32s %8s %12s %12s %14s %10s%n", groupBy.label().toUpperCase(java.util.Locale.ROOT),
                "CALLS", "INPUT", "OUTPUT", "COST_USD", "CACHE_HITS");
        for (SpendReport.Row r : report.rows()) {
            System.out.printf("%-32s %8d %12d %12d %14s %10d%n", r.key().isEmpty() ? "-" : Printable.of(r.key()),
                    r.calls(), r.inputTokens(), r.outputTokens(), r.costUsd().toPlainString(), r.cacheHits());
        }
        return 0;
    }
}
