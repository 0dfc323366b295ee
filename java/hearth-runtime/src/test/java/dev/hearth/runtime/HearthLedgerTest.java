package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.ledger.CallStart;
import dev.hearth.ledger.Ledger;
import dev.hearth.testkit.CleanEnvironment;
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
    void aBadDatabaseUrlFailsWhenHearthIsMadeWithWhatItShouldLookLike() {
        assertThatThrownBy(() -> Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_DATABASE_URL",
                "mysql://u:pw@h/db"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresql://user:password@host:5432/database");
    }
}
