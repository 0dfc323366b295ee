package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.ledger.Budget;
import dev.hearth.ledger.CallStart;
import dev.hearth.ledger.Ledger;
import dev.hearth.testkit.CleanEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime hands out the ledger its environment names, opened on first use and closed with it. */
class HearthLedgerTest {
    @TempDir
    Path dir;

    @Test
    void theLedgerIsTheFileTheEnvironmentNamesAndOutlivesTheHearthThatWroteIt() {
        String id;
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only"))) {
            assertThat(dir.resolve("ledger.db")).as("opened on first use").doesNotExist();
            id = hearth.ledger().begin(CallStart.local("qwen"));
            assertThat(hearth.ledger()).isSameAs(hearth.ledger());
            assertThat(dir.resolve("ledger.db")).exists();
        }
        try (Ledger ledger = Hearth.openLedger(CleanEnvironment.in(dir))) {
            assertThat(ledger.call(id)).isPresent();
        }
    }

    @Test
    void theMonthlyBudgetOfAHearthTomlBecomesTheLedgersGlobalBudget() throws Exception {
        Path toml = Files.writeString(dir.resolve("hearth.toml"), "monthly_budget_usd = 12.5\n");
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", toml.toString(),
                "LLM_STRATEGY", "local_only"))) {
            assertThat(hearth.ledger().budgets()).singleElement().satisfies(b -> {
                assertThat(b.budget().scope()).isEqualTo(Budget.Scope.GLOBAL);
                assertThat(b.budget().period()).isEqualTo(Budget.Period.MONTH);
                assertThat(b.budget().limitUsd()).isEqualByComparingTo("12.5");
            });
        }
    }

    @Test
    void aBadDatabaseUrlFailsWhenHearthIsMadeWithWhatItShouldLookLike() {
        assertThatThrownBy(() -> Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_DATABASE_URL",
                "mysql://u:pw@h/db"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresql://user:password@host:5432/database");
    }

    @Test
    void budgetsPerScopeInHearthTomlAreDeclaredAndGoWhenTheFileDropsThem() throws Exception {
        Path toml = Files.writeString(dir.resolve("hearth.toml"), """
                [[budget]]
                scope = "global"
                period = "day"
                limit_usd = 3
                [[budget]]
                scope = "key"
                name = "ci"
                limit_usd = 10
                [[budget]]
                scope = "agent"
                name = "triage"
                limit_usd = 2
                soft_usd = 1.5
                [[budget]]
                scope = "provider"
                name = "anthropic"
                period = "day"
                limit_usd = 1
                [[budget]]
                scope = "model"
                name = "deepseek-flash"
                limit_usd = 4
                """);
        java.util.Map<String, String> env = CleanEnvironment.in(dir, "HEARTH_CONFIG", toml.toString(),
                "LLM_STRATEGY", "local_only");
        Budget byHand = Budget.of(Budget.Scope.model("other"), Budget.Period.MONTH, java.math.BigDecimal.ONE);
        try (Hearth hearth = Hearth.fromEnvironment(env)) {
            assertThat(hearth.ledger().budgets()).extracting(b -> b.budget().scope().toString() + " per "
                    + b.budget().period().label()).containsExactlyInAnyOrder("global per day", "key ci per month",
                    "agent triage per month", "provider anthropic per day", "model deepseek-flash per month");
            hearth.ledger().setBudget(byHand);
        }
        try (Ledger ledger = Hearth.openLedger(env)) { // hearth spend, keys, ...: they leave the budgets alone
            assertThat(ledger.budgets()).hasSize(6);
        }
        Files.writeString(toml, """
                [[budget]]
                scope = "agent"
                name = "triage"
                limit_usd = 5
                """);
        try (Hearth hearth = Hearth.fromEnvironment(env)) {
            assertThat(hearth.ledger().budgets()).extracting(b -> b.budget()).containsExactlyInAnyOrder(byHand,
                    Budget.of(Budget.Scope.agent("triage"), Budget.Period.MONTH, new java.math.BigDecimal("5")));
        }
    }

    @Test
    void routingReadsTheMonthsSpendFromTheLedgerSoARestartForgetsNothing() {
        java.util.Map<String, String> env = CleanEnvironment.in(dir, "LLM_STRATEGY", "hybrid",
                "HEARTH_MONTHLY_BUDGET_USD", "1", "ANTHROPIC_API_KEY", "k");
        try (Hearth first = Hearth.fromEnvironment(env)) { // a previous process spent 99 cents
            Ledger l = first.ledger();
            String id = l.begin(CallStart.remote("anthropic", "claude-sonnet-4-6"));
            l.reserve(id, new java.math.BigDecimal("0.99"), java.util.List.of());
            l.settle(id, new java.math.BigDecimal("0.99"));
        }
        try (Hearth restarted = Hearth.fromEnvironment(env)) {
            var budget = restarted.router().config().budget();
            assertThat(budget.spent()).isEqualTo(0.99);
            assertThat(budget.remaining()).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-9));
            var hard = dev.hearth.api.ChatRequest.of("auto", java.util.List.of(dev.hearth.api.ChatMessage.user(
                    "Prove that there are infinitely many primes, then derive the prime number theorem's error"
                            + " term step by step."))).withMaxTokens(4096);
            var decision = restarted.explain(hard);
            assertThat(decision).isNotInstanceOf(dev.hearth.router.RouteDecision.Remote.class);
            assertThat(decision.reason()).contains("monthly budget of $1.00 is spent");
        }
    }
}
