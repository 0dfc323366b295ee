package dev.hearth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.BudgetStatus;
import dev.hearth.ledger.Ledger;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** hearth budgets list|set|remove: spending limits per scope and period, kept in the ledger. */
@Command(name = "budgets", mixinStandardHelpOptions = true,
        description = "List, set and remove budgets (global, or per key, agent, provider or model; per day or month,"
                + " UTC). Budgets in hearth.toml are set again at each start.",
        subcommands = {BudgetsCommand.ListBudgets.class, BudgetsCommand.Set.class, BudgetsCommand.Remove.class})
final class BudgetsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("hearth: budgets needs a subcommand: list, set or remove (hearth budgets --help)");
        return 2;
    }

    static Budget.Period period(String text) {
        try {
            return Budget.Period.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--period is day or month; got '" + text + "'");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every budget with what its current period has spent, holds and has left.")
    static final class ListBudgets extends KeysCommand.LedgerCommand {
        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<BudgetStatus> budgets;
            try (Ledger ledger = open()) {
                budgets = ledger.budgets();
            }
            if (json) {
                ArrayNode out = dev.hearth.ledger.SpendJson.budgets(budgets);
                System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
                return 0;
            }
            if (budgets.isEmpty()) {
                System.out.println("no budgets; set one with: hearth budgets set global --usd 25");
                return 0;
            }
            System.out.printf("%-28s %-6s %-11s %-10s %-10s %-10s %-10s %s%n", "SCOPE", "PERIOD", "NOW", "LIMIT",
                    "SOFT", "SPENT", "HELD", "LEFT");
            for (BudgetStatus s : budgets) {
                Budget b = s.budget();
                System.out.printf("%-28s %-6s %-11s %-10s %-10s %-10s %-10s %s%n", Printable.of(b.scope().toString()),
                        b.period().label(), s.periodKey(), "$" + b.limitUsd().toPlainString(),
                        b.softLimitUsd() == null ? "-" : "$" + b.softLimitUsd().toPlainString(),
                        "$" + s.spentUsd().toPlainString(), "$" + s.reservedUsd().toPlainString(),
                        "$" + s.remainingUsd().toPlainString());
            }
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set (or replace) a budget.")
    static final class Set extends KeysCommand.LedgerCommand {
        @Parameters(index = "0", paramLabel = "SCOPE",
                description = "global, or key:NAME, agent:NAME, provider:NAME, model:NAME")
        String scope;

        @Option(names = "--usd", paramLabel = "USD", required = true, description = "the limit in US dollars")
        BigDecimal usd;

        @Option(names = "--soft-usd", paramLabel = "USD",
                description = "a soft limit: reaching it records an event and logs a warning once per period")
        BigDecimal softUsd;

        @Option(names = "--period", paramLabel = "day|month", defaultValue = "month",
                description = "the period, in UTC (default: month)")
        String period;

        @Override
        public Integer call() {
            Budget b = new Budget(Budget.Scope.parse(scope), period(period), usd, softUsd);
            try (Ledger ledger = open()) {
                ledger.setBudget(b);
            }
            System.out.println("budget " + Printable.of(b.scope().toString()) + " per " + b.period().label() + ": $"
                    + usd.toPlainString() + (softUsd == null ? "" : " (soft $" + softUsd.toPlainString() + ")"));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a budget; what it recorded as spent stays in the ledger.")
    static final class Remove extends KeysCommand.LedgerCommand {
        @Parameters(index = "0", paramLabel = "SCOPE",
                description = "global, or key:NAME, agent:NAME, provider:NAME, model:NAME")
        String scope;

        @Option(names = "--period", paramLabel = "day|month", defaultValue = "month",
                description = "the period (default: month)")
        String period;

        @Override
        public Integer call() {
            Budget.Scope s = Budget.Scope.parse(scope);
            Budget.Period p = period(period);
            boolean removed;
            try (Ledger ledger = open()) {
                removed = ledger.removeBudget(s, p);
            }
            if (!removed) {
                throw new IllegalArgumentException("there is no " + s + " budget per " + p.label()
                        + "; see hearth budgets list");
            }
            System.out.println("removed budget " + Printable.of(s.toString()) + " per " + p.label()
                    + " (if hearth.toml or HEARTH_MONTHLY_BUDGET_USD declares it, the next start sets it again)");
            return 0;
        }
    }
}
