package dev.hearth.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A database locked past the deadline makes {@code reserve} fail with the type callers act on, then recover. */
class UnavailableTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReservationFailsAsUnavailableWhileAnotherConnectionHoldsTheWriteLock(StoreKind kind) throws Exception {
        LedgerConfig config = kind.config(dir).withLockTimeout(Duration.ofMillis(300));
        try (Ledger ledger = Ledger.open(config.withGlobalMonthlyBudget(BigDecimal.TEN))) {
            String id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            try (Connection other = StoreKind.connect(config.store()); Statement s = other.createStatement()) {
                if (kind == StoreKind.SQLITE) {
                    s.execute("BEGIN IMMEDIATE");
                } else {
                    other.setAutoCommit(false);
                    s.execute("LOCK TABLE budget_spend IN EXCLUSIVE MODE");
                }
                assertThatThrownBy(() -> ledger.reserve(id, BigDecimal.ONE, List.of()))
                        .isInstanceOf(LedgerUnavailableException.class)
                        .hasMessageContaining("could not reserve $1 for call " + id);
                if (kind == StoreKind.SQLITE) {
                    s.execute("ROLLBACK");
                } else {
                    other.rollback();
                }
            }
            assertThat(ledger.reserve(id, BigDecimal.ONE, List.of()).existing()).as("nothing was half-written")
                    .isFalse();
        }
    }
}
