package dev.hearth.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.testkit.ManualClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reserve, then settle: the same behaviour on SQLite and PostgreSQL. */
class BudgetsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Budget.Scope MODEL = Budget.Scope.model("claude-sonnet");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);

    private static BigDecimal usd(String s) {
        return new BigDecimal(s);
    }

    private static BudgetStatus status(Ledger ledger, Budget.Scope scope, Budget.Period period) {
        return ledger.budgets().stream().filter(s -> s.budget().scope().equals(scope)
                && s.budget().period() == period).findFirst().orElseThrow();
    }

    private static Ledger withBudgets(LedgerConfig config, ManualClock clock) {
        Ledger ledger = Ledger.open(config.withGlobalMonthlyBudget(usd("1.00")), clock);
        ledger.setBudget(Budget.of(MODEL, Budget.Period.DAY, usd("0.50")));
        return ledger;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reservesAgainstEveryBudgetThatAppliesThenSettlesToTheRealCost(StoreKind kind) {
        try (Ledger ledger = withBudgets(kind.config(dir), clock)) {
            ledger.setBudget(Budget.of(Budget.Scope.model("other"), Budget.Period.DAY, usd("0.01")));
            String id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            Reservation r = ledger.reserve(id, usd("0.3"), List.of(MODEL));
            assertThat(r.budgets()).extracting(Budget::scope).containsExactly(Budget.Scope.GLOBAL, MODEL);
            assertThat(status(ledger, Budget.Scope.GLOBAL, Budget.Period.MONTH).reservedUsd())
                    .isEqualByComparingTo("0.3");
            assertThat(status(ledger, MODEL, Budget.Period.DAY).remainingUsd()).isEqualByComparingTo("0.2");

            assertThat(ledger.settle(id, usd("0.1"))).isTrue();
            BudgetStatus global = status(ledger, Budget.Scope.GLOBAL, Budget.Period.MONTH);
            assertThat(global.periodKey()).isEqualTo("2026-11");
            assertThat(global.spentUsd()).isEqualByComparingTo("0.1");
            assertThat(global.reservedUsd()).isEqualByComparingTo("0");
            assertThat(status(ledger, Budget.Scope.model("other"), Budget.Period.DAY).spentUsd()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void refusesWithTheNumbersWhenAnyBudgetWouldBeExceededAndReservesNothing(StoreKind kind) {
        try (Ledger ledger = withBudgets(kind.config(dir), clock)) {
            String first = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            ledger.reserve(first, usd("0.1"), List.of(MODEL));
            ledger.settle(first, usd("0.1"));
            String second = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));

            assertThatThrownBy(() -> ledger.reserve(second, usd("0.45"), List.of(MODEL)))
                    .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                        assertThat(e.budget().scope()).isEqualTo(MODEL);
                        assertThat(e.periodKey()).isEqualTo("2026-11-30");
                        assertThat(e.spent()).isEqualByComparingTo("0.1");
                        assertThat(e.requested()).isEqualByComparingTo("0.45");
                        assertThat(e.remaining()).isEqualByComparingTo("0.4");
                        assertThat(e.getMessage()).contains("limit $0.50", "spent $0.10", "reserved $0.00",
                                "needs up to $0.45");
                    });
            assertThat(status(ledger, Budget.Scope.GLOBAL, Budget.Period.MONTH).reservedUsd()).isZero();
            assertThat(ledger.events(second)).extracting(TraceEvent::name).contains(GenAi.EVENT_BUDGET_REFUSED);
            assertThatThrownBy(() -> ledger.settle(second, usd("0.1"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has no reservation");

            clock.advance(Duration.ofDays(1)); // a new day for the model's budget, still November for the global
            assertThat(ledger.reserve(second, usd("0.45"), List.of(MODEL)).existing()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPeriodsFirstReservationIsRefusedWhenItAloneExceedsTheLimit(StoreKind kind) {
        try (Ledger ledger = withBudgets(kind.config(dir), clock)) {
            String id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            assertThatThrownBy(() -> ledger.reserve(id, usd("0.51"), List.of(MODEL)))
                    .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                        assertThat(e.budget().scope()).isEqualTo(MODEL);
                        assertThat(e.spent()).isZero();
                        assertThat(e.reserved()).isZero();
                    });
            assertThat(ledger.budgets()).allSatisfy(s -> assertThat(s.reservedUsd()).isZero());
            assertThat(ledger.reserve(id, usd("0.5"), List.of(MODEL)).existing()).as("exactly the limit fits")
                    .isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reservingAndSettlingAreIdempotentByCallId(StoreKind kind) {
        try (Ledger ledger = withBudgets(kind.config(dir), clock)) {
            String id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            assertThat(ledger.reserve(id, usd("0.2"), List.of(MODEL)).existing()).isFalse();
            Reservation again = ledger.reserve(id, usd("0.2"), List.of(MODEL));
            assertThat(again.existing()).isTrue();
            assertThat(again.budgets()).hasSize(2);
            assertThat(status(ledger, MODEL, Budget.Period.DAY).reservedUsd()).isEqualByComparingTo("0.2");

            assertThat(ledger.settle(id, usd("0.15"))).isTrue();
            assertThat(ledger.settle(id, usd("0.15"))).isFalse();
            assertThat(status(ledger, MODEL, Budget.Period.DAY).spentUsd()).isEqualByComparingTo("0.15");
            assertThat(status(ledger, Budget.Scope.GLOBAL, Budget.Period.MONTH).spentUsd())
                    .isEqualByComparingTo("0.15");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aReservationLeftOpenByADeadProcessCountsAsSpentAndIsReconciledAtTheNextOpen(StoreKind kind) {
        LedgerConfig config = kind.config(dir).withStaleReservationAfter(Duration.ofMinutes(15));
        String id;
        try (Ledger ledger = withBudgets(config, clock)) {
            id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            ledger.reserve(id, usd("0.4"), List.of(MODEL));
            // no settle, no finish: what a process killed mid-call leaves (KilledProcessTest kills real ones)
        }
        clock.advance(Duration.ofMinutes(5));
        try (Ledger ledger = Ledger.open(config, clock)) {
            assertThat(status(ledger, MODEL, Budget.Period.DAY).reservedUsd()).as("still in flight, as far as"
                    + " anyone can tell").isEqualByComparingTo("0.4");
            String next = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            assertThatThrownBy(() -> ledger.reserve(next, usd("0.2"), List.of(MODEL)))
                    .isInstanceOf(BudgetExceededException.class);
        }
        clock.advance(Duration.ofMinutes(11));
        try (Ledger ledger = Ledger.open(config, clock)) {
            BudgetStatus model = status(ledger, MODEL, Budget.Period.DAY);
            assertThat(model.reservedUsd()).isZero();
            assertThat(model.spentUsd()).as("counted at its estimate").isEqualByComparingTo("0.4");
            assertThat(ledger.call(id).orElseThrow().outcome()).isEqualTo("abandoned");
            assertThat(ledger.reconcile()).as("done at open").isZero();

            assertThat(ledger.settle(id, usd("0.25"))).as("a late settlement corrects the estimate").isTrue();
            assertThat(ledger.settle(id, usd("0.25"))).isFalse();
            assertThat(status(ledger, MODEL, Budget.Period.DAY).spentUsd()).isEqualByComparingTo("0.25");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aSoftLimitIsReportedOncePerPeriod(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            ledger.setBudget(Budget.of(Budget.Scope.GLOBAL, Budget.Period.MONTH, usd("1")).withSoftLimit(usd("0.5")));
            List<List<Budget>> reached = new java.util.ArrayList<>();
            List<String> ids = new java.util.ArrayList<>();
            for (String amount : List.of("0.3", "0.3", "0.1")) {
                String id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
                ids.add(id);
                reached.add(ledger.reserve(id, usd(amount), List.of()).softLimitsReached());
            }
            assertThat(reached.get(0)).isEmpty();
            assertThat(reached.get(1)).extracting(Budget::scope).containsExactly(Budget.Scope.GLOBAL);
            assertThat(reached.get(2)).isEmpty();
            assertThat(ledger.events(ids.get(1))).extracting(TraceEvent::name).contains(GenAi.EVENT_SOFT_LIMIT);

            clock.advance(Duration.ofDays(1)); // December
            String december = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            assertThat(ledger.reserve(december, usd("0.6"), List.of()).softLimitsReached()).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void completesABatchOfCallsInOneGoAndOnlyOnce(StoreKind kind) {
        try (Ledger ledger = withBudgets(kind.config(dir), clock)) {
            String a = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            String b = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            String local = ledger.begin(CallStart.local("qwen"));
            ledger.reserve(a, usd("0.2"), List.of(MODEL));
            ledger.reserve(b, usd("0.2"), List.of(MODEL));
            List<Completion> batch = List.of(
                    new Completion(a, usd("0.05"), CallEnd.ok(Tokens.of(10, 10), usd("0.05"), 5)),
                    new Completion(b, usd("0.07"), CallEnd.ok(Tokens.of(10, 10), usd("0.07"), 5)),
                    new Completion(local, null, CallEnd.ok(Tokens.of(10, 10), BigDecimal.ZERO, 5)));
            assertThat(ledger.complete(batch)).isEqualTo(3);
            assertThat(ledger.complete(batch)).as("a retried batch counts nothing twice").isZero();
            BudgetStatus model = status(ledger, MODEL, Budget.Period.DAY);
            assertThat(model.spentUsd()).isEqualByComparingTo("0.12");
            assertThat(model.reservedUsd()).isZero();
            assertThat(ledger.spend(java.time.YearMonth.of(2026, 11), SpendReport.GroupBy.MODEL).spendUsd())
                    .isEqualByComparingTo("0.12");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void rejectsNegativeAmountsAndBudgets(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            assertThatThrownBy(() -> ledger.reserve("x", usd("-1"), List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero or more");
            assertThatThrownBy(() -> Budget.of(MODEL, Budget.Period.DAY, usd("-0.01")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero or more US dollars");
            assertThatThrownBy(() -> Budget.of(MODEL, Budget.Period.DAY, usd("1")).withSoftLimit(usd("2")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soft limit");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theConfigurationsBudgetsReplaceThoseItDeclaredBeforeAndLeaveThoseSetByHand(StoreKind kind) {
        Budget provider = Budget.of(Budget.Scope.provider("anthropic"), Budget.Period.DAY, usd("5"))
                .withSoftLimit(usd("4"));
        Budget byHand = Budget.of(Budget.Scope.agent("triage"), Budget.Period.MONTH, usd("2"));
        LedgerConfig config = kind.config(dir);
        try (Ledger ledger = Ledger.open(config.withGlobalMonthlyBudget(usd("10")).withBudgets(List.of(provider)),
                clock)) {
            ledger.setBudget(byHand);
            assertThat(ledger.budgets()).extracting(BudgetStatus::budget).containsExactlyInAnyOrder(provider, byHand,
                    Budget.of(Budget.Scope.GLOBAL, Budget.Period.MONTH, usd("10")));
        }
        // a command that only reads the ledger changes none of them
        try (Ledger ledger = Ledger.open(config.withoutDeclaring(), clock)) {
            assertThat(ledger.budgets()).hasSize(3);
        }
        // the next configuration drops the provider budget and HEARTH_MONTHLY_BUDGET_USD: both go, the agent's stays
        try (Ledger ledger = Ledger.open(config.withBudgets(List.of()), clock)) {
            assertThat(ledger.budgets()).extracting(BudgetStatus::budget).containsExactly(byHand);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBudgetSetByHandThatTheConfigurationAlsoDeclaresBecomesTheConfigurations(StoreKind kind) {
        Budget hand = Budget.of(Budget.Scope.model("m"), Budget.Period.DAY, usd("1"));
        Budget file = Budget.of(Budget.Scope.model("m"), Budget.Period.DAY, usd("3"));
        LedgerConfig config = kind.config(dir);
        try (Ledger ledger = Ledger.open(config, clock)) {
            ledger.setBudget(hand);
        }
        try (Ledger ledger = Ledger.open(config.withBudgets(List.of(file)), clock)) {
            assertThat(ledger.budgets()).extracting(BudgetStatus::budget).containsExactly(file);
        }
        try (Ledger ledger = Ledger.open(config.withBudgets(List.of()), clock)) {
            assertThat(ledger.budgets()).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void twoBudgetsForOneScopeAndPeriodAreRefused() {
        Budget a = Budget.of(MODEL, Budget.Period.DAY, usd("1"));
        assertThatThrownBy(() -> LedgerConfig.of(new LedgerConfig.Sqlite(dir.resolve("l.db")))
                .withBudgets(List.of(a, a))).hasMessageContaining("two budgets for model claude-sonnet per day");
    }
}
