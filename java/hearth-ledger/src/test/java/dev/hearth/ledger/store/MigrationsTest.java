package dev.hearth.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerConfig;
import dev.hearth.ledger.LedgerUnavailableException;
import dev.hearth.ledger.StoreKind;
import dev.hearth.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A database made by the first schema version opens under the current one with its rows and the new columns. */
class MigrationsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void upgradesADatabaseCreatedByTheFirstVersion(StoreKind kind) {
        LedgerConfig config = kind.config(dir);
        try (Db db = JdbcLedger.connect(config)) {
            assertThat(Migrations.migrate(db, 1, T0.toEpochMilli())).isEqualTo(1);
            db.write("seed a version-1 call", c -> Sql.update(c, "INSERT INTO calls (id, started_at, ended_at,"
                    + " entry_point, model, provider, remote, output_tokens, cost_nanos, outcome)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "v1-call", T0.toEpochMilli(), T0.toEpochMilli() + 5,
                    "JAVA_API", "qwen", "local", false, 42L, 1234L, "ok"));
            assertThatThrownBy(() -> db.read("read a version-2 column", c -> Sql.query(c,
                    "SELECT cache_hits FROM calls", r -> r.getLong(1)))).isInstanceOf(LedgerUnavailableException.class);
        }
        try (Ledger ledger = Ledger.open(config, new ManualClock(T0))) {
            CallRecord r = ledger.call("v1-call").orElseThrow();
            assertThat(r.model()).isEqualTo("qwen");
            assertThat(r.tokens().output()).isEqualTo(42);
            assertThat(r.costUsd()).isEqualByComparingTo("0.000001234");
            assertThat(r.cacheHits()).as("the column version 2 added").isZero();
            assertThat(r.savedUsd()).as("the column version 6 added").isZero();
            assertThat(ledger.responseCache(10).size()).as("version 6's table").isZero();
            assertThat(r.draftedTokens()).as("the columns version 7 added").isZero();
            assertThat(r.acceptedDraftTokens()).isZero();
            ledger.feedback("v1-call", 5, "version 2's table");
            assertThat(ledger.keys().list()).as("version 3's table").isEmpty();
        }
        try (Db db = JdbcLedger.connect(config)) {
            int version = db.read("read the schema version", c -> Sql.one(c,
                    "SELECT MAX(version) FROM schema_version", r -> r.getInt(1)).orElseThrow());
            assertThat(version).isEqualTo(Migrations.latest());
            assertThat(Migrations.migrate(db, Migrations.latest(), 0)).as("nothing left to apply")
                    .isEqualTo(Migrations.latest());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBudgetFromVersionThreeIsKeptAsOneSetByHandWhenAConfigurationDeclaresItsOwn(StoreKind kind) {
        LedgerConfig config = kind.config(dir);
        try (Db db = JdbcLedger.connect(config)) {
            Migrations.migrate(db, 3, T0.toEpochMilli());
            db.write("seed a version-3 budget", c -> Sql.update(c, "INSERT INTO budgets (scope_kind, scope_name,"
                    + " period, limit_nanos) VALUES (?, ?, ?, ?)", "AGENT", "triage", "MONTH", 2_000_000_000L));
        }
        try (Ledger ledger = Ledger.open(config.withBudgets(java.util.List.of()), new ManualClock(T0))) {
            assertThat(ledger.budgets()).extracting(b -> b.budget().scope())
                    .containsExactly(dev.hearth.ledger.Budget.Scope.agent("triage"));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusesASchemaNewerThanItKnows(StoreKind kind) {
        LedgerConfig config = kind.config(dir);
        try (Db db = JdbcLedger.connect(config)) {
            Migrations.migrate(db, Migrations.latest(), 0);
            db.write("pretend a newer Hearth ran", c -> Sql.update(c,
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)", 99, "V99__future.sql",
                    0L));
        }
        assertThatThrownBy(() -> Ledger.open(config)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("version 99, newer than this Hearth knows");
    }
}
