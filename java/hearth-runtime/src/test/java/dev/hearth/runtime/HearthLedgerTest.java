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
}
