package dev.hearth.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration from the environment, and the errors a user gets for a bad one. */
class LedgerConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsToAnSqliteFileUnderHearthHome() {
        LedgerConfig config = LedgerConfig.fromEnvironment(Map.of("HEARTH_HOME", "/srv/hearth"));
        assertThat(config.store()).isEqualTo(new LedgerConfig.Sqlite(Path.of("/srv/hearth/data/ledger.db")));
        assertThat(config.storeContent()).isFalse();
        assertThat(config.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(config.globalMonthlyBudgetUsd()).isNull();
    }

    @Test
    void readsEveryVariable() {
        LedgerConfig config = LedgerConfig.fromEnvironment(Map.of("HEARTH_LEDGER_PATH", "/tmp/l.db",
                "HEARTH_LEDGER_STORE_CONTENT", "true", "HEARTH_LEDGER_RETENTION_DAYS", "30",
                "HEARTH_MONTHLY_BUDGET_USD", "12.50"));
        assertThat(config.store()).isEqualTo(new LedgerConfig.Sqlite(Path.of("/tmp/l.db")));
        assertThat(config.storeContent()).isTrue();
        assertThat(config.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(config.globalMonthlyBudgetUsd()).isEqualByComparingTo("12.50");
    }

    @Test
    void turnsADatabaseUrlIntoJdbcAndCredentials() {
        LedgerConfig config = LedgerConfig.fromEnvironment(Map.of("HEARTH_DATABASE_URL",
                "postgresql://hearth:p%40ss@db.example:6543/ledger?sslmode=require"));
        assertThat(config.store()).isInstanceOfSatisfying(LedgerConfig.Postgres.class, p -> {
            assertThat(p.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/ledger?sslmode=require");
            assertThat(p.user()).isEqualTo("hearth");
            assertThat(p.password()).isEqualTo("p@ss");
            assertThat(p.toString()).doesNotContain("p@ss");
        });
        assertThat(LedgerConfig.parseDatabaseUrl("postgres://u@h/db").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h:5432/db");
    }

    @Test
    void aBadDatabaseUrlSaysWhatItShouldLookLikeWithoutShowingThePassword() {
        assertThatThrownBy(() -> LedgerConfig.parseDatabaseUrl("mysql://u:secret99@h/db"))
                .hasMessageContaining("postgresql://user:password@host:5432/database")
                .hasMessageNotContaining("secret99");
        assertThatThrownBy(() -> LedgerConfig.parseDatabaseUrl("postgresql://u:secret99@h"))
                .hasMessageContaining("database name is missing").hasMessageNotContaining("secret99");
    }

    @Test
    void badNumbersSayWhatIsExpected() {
        assertThatThrownBy(() -> LedgerConfig.fromEnvironment(Map.of("HEARTH_LEDGER_RETENTION_DAYS", "ninety")))
                .hasMessageContaining("whole number of days");
        assertThatThrownBy(() -> LedgerConfig.fromEnvironment(Map.of("HEARTH_MONTHLY_BUDGET_USD", "ten")))
                .hasMessageContaining("number of US dollars");
        assertThatThrownBy(() -> LedgerConfig.fromEnvironment(Map.of("HEARTH_MONTHLY_BUDGET_USD", "-5")))
                .hasMessageContaining("zero or more");
    }

    @Test
    void anUnusableSqlitePathSaysHowToMoveIt() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> Ledger.open(LedgerConfig.of(new LedgerConfig.Sqlite(file.resolve("ledger.db")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HEARTH_LEDGER_PATH");
        assertThatThrownBy(() -> Ledger.open(LedgerConfig.of(new LedgerConfig.Sqlite(dir))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a file");
    }

    @Test
    void anUnreachablePostgresIsReportedAsUnavailable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var store = new LedgerConfig.Postgres("jdbc:postgresql://127.0.0.1:" + port + "/ledger", "u", "pw", 1);
        assertThatThrownBy(() -> Ledger.open(LedgerConfig.of(store).withLockTimeout(Duration.ofMillis(300))))
                .isInstanceOf(LedgerUnavailableException.class).hasMessageContaining("cannot reach")
                .hasMessageContaining("HEARTH_DATABASE_URL");
    }

    @Test
    void aGlobalBudgetFromTheEnvironmentIsSetWhenTheLedgerOpens() {
        LedgerConfig config = LedgerConfig.fromEnvironment(Map.of("HEARTH_LEDGER_PATH",
                dir.resolve("l.db").toString(), "HEARTH_MONTHLY_BUDGET_USD", "7"));
        try (Ledger ledger = Ledger.open(config)) {
            assertThat(ledger.budgets()).singleElement().satisfies(s -> {
                assertThat(s.budget().scope()).isEqualTo(Budget.Scope.GLOBAL);
                assertThat(s.budget().limitUsd()).isEqualByComparingTo(new BigDecimal("7"));
            });
        }
    }
}
