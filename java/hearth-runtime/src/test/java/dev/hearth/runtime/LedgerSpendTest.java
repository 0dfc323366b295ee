package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Usage;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.BudgetStatus;
import dev.hearth.ledger.CallEnd;
import dev.hearth.ledger.CallStart;
import dev.hearth.ledger.Completion;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerConfig;
import dev.hearth.ledger.LedgerUnavailableException;
import dev.hearth.ledger.Tokens;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.ModelRegistry;
import dev.hearth.router.PriceTable;
import dev.hearth.router.SpendGate;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remote hop's hold on a real ledger (SQLite): begun with the call in one commit, settled with the call's end. */
class LedgerSpendTest {
    @TempDir
    Path dir;

    private static final ModelProfile CLAUDE = ModelRegistry.fromEnvironment(Map.of("ANTHROPIC_API_KEY", "k"))
            .find("claude-sonnet-4-6").orElseThrow();

    @Test
    void aCallTheVendorAnsweredIsCountedAtItsCostThoughAFailureFollowedItsAnswer() throws Exception {
        try (Ledger ledger = Ledger.open(LedgerConfig.of(new LedgerConfig.Sqlite(dir.resolve("ledger.db"))))) {
            ledger.setBudget(Budget.of(Budget.Scope.GLOBAL, Budget.Period.MONTH, new BigDecimal("1")));
            String id = ledger.newCallId();
            LedgerSpend spend = new LedgerSpend(ledger, id, CallStart.remote("anthropic", CLAUDE.id()),
                    PriceTable.defaults(), List.of(), true, e -> { });
            SpendGate.Hold hold = spend.reserve(CLAUDE, ChatRequest.of(CLAUDE.id(),
                    List.of(ChatMessage.user("hello"))).withMaxTokens(100));
            assertThat(spend.begun()).as("the call's start went with its hold").isTrue();
            assertThat(ledger.call(id)).isPresent();
            assertThat(ledger.budgets().getFirst().reservedUsd()).isPositive();

            Usage usage = new Usage(20, 8, 0, 0, 0);
            hold.settle(CLAUDE, usage);
            hold.failed(new LedgerUnavailableException("the pool had no connection within 2 s", null));
            ledger.complete(List.of(new Completion(id, null, List.of(), spend.settlements(),
                    CallEnd.ok(new Tokens(20, 0, 0, 8, 0), BigDecimal.ZERO, 5))));

            BigDecimal cost = PriceTable.defaults().cost("anthropic", CLAUDE.model(), usage, Instant.now())
                    .orElseThrow();
            BudgetStatus s = ledger.budgets().getFirst();
            assertThat(s.reservedUsd()).isZero();
            assertThat(s.spentUsd()).as("billed by the vendor, so spent").isEqualByComparingTo(cost);
        }
    }

    @Test
    void aHoldNotYetWrittenCountsAtItsEstimateNeverLess() throws Exception {
        try (Ledger ledger = Ledger.open(LedgerConfig.of(new LedgerConfig.Sqlite(dir.resolve("ledger.db"))))) {
            ledger.setBudget(Budget.of(Budget.Scope.GLOBAL, Budget.Period.MONTH, new BigDecimal("1")));
            LedgerSpend spend = new LedgerSpend(ledger, ledger.newCallId(), CallStart.remote("anthropic", CLAUDE.id()),
                    PriceTable.defaults(), List.of(), true, e -> { });
            SpendGate.Hold hold = spend.reserve(CLAUDE, ChatRequest.of(CLAUDE.id(),
                    List.of(ChatMessage.user("hello"))).withMaxTokens(100));
            BigDecimal held = ledger.budgets().getFirst().reservedUsd();
            hold.settle(CLAUDE, new Usage(20, 8, 0, 0, 0)); // the answer is in; its completion is not written yet
            BudgetStatus s = ledger.budgets().getFirst();
            assertThat(s.reservedUsd()).isEqualByComparingTo(held).isPositive();
            assertThat(s.spentUsd()).isZero();
        }
    }
}
