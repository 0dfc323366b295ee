package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Usage;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.BudgetStatus;
import dev.hearth.ledger.Ledger;
import dev.hearth.ledger.LedgerConfig;
import dev.hearth.ledger.LedgerUnavailableException;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.ModelRegistry;
import dev.hearth.router.PriceTable;
import dev.hearth.router.SpendGate;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remote hop's hold on a real ledger (SQLite), whose settle fails once as a busy shared database's would. */
class LedgerSpendTest {
    @TempDir
    Path dir;

    @Test
    void aCallTheVendorAnsweredIsCountedAtItsCostWhenItsSettleFailedOnce() throws Exception {
        try (Ledger real = Ledger.open(LedgerConfig.of(new LedgerConfig.Sqlite(dir.resolve("ledger.db"))))) {
            real.setBudget(Budget.of(Budget.Scope.GLOBAL, Budget.Period.MONTH, new BigDecimal("1")));
            AtomicInteger settles = new AtomicInteger();
            Ledger busyOnce = (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(),
                    new Class<?>[] {Ledger.class}, (proxy, method, args) -> {
                        if (method.getName().equals("settle") && settles.getAndIncrement() == 0) {
                            throw new LedgerUnavailableException("the pool had no connection within 2 s", null);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            ModelProfile claude = ModelRegistry.fromEnvironment(Map.of("ANTHROPIC_API_KEY", "k"))
                    .find("claude-sonnet-4-6").orElseThrow();
            SpendGate.Hold hold = new LedgerSpend(busyOnce, real.newCallId(), PriceTable.defaults(), List.of())
                    .reserve(claude, ChatRequest.of(claude.id(), List.of(ChatMessage.user("hello")))
                            .withMaxTokens(100));
            Usage usage = new Usage(20, 8, 0, 0, 0);
            assertThatThrownBy(() -> hold.settle(claude, usage)).isInstanceOf(LedgerUnavailableException.class);
            hold.failed(new LedgerUnavailableException("the pool had no connection within 2 s", null));

            BigDecimal cost = PriceTable.defaults().cost("anthropic", claude.model(), usage, Instant.now())
                    .orElseThrow();
            BudgetStatus s = real.budgets().getFirst();
            assertThat(s.reservedUsd()).isZero();
            assertThat(s.spentUsd()).as("billed by the vendor, so spent").isEqualByComparingTo(cost);
        }
    }
}
