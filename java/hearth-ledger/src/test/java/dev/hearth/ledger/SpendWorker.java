package dev.hearth.ledger;

import dev.hearth.testkit.Workers;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child process for the concurrency test: {@code threads} threads each make {@code calls} remote calls through the
 * ledger (begin, reserve the estimate, settle the actual cost, finish; or finish as refused), then it prints
 * {@code RESULT ok=N refused=M}. Args: store kind and place (see {@link ChildStore}), threads, calls per
 * thread, estimate, actual cost.
 */
public final class SpendWorker {
    private SpendWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        LedgerConfig config = LedgerConfig.of(ChildStore.parse(args[0], args[1]))
                .withLockTimeout(Duration.ofSeconds(30));
        int threads = Integer.parseInt(args[2]);
        int calls = Integer.parseInt(args[3]);
        BigDecimal estimate = new BigDecimal(args[4]);
        BigDecimal actual = new BigDecimal(args[5]);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try (Ledger ledger = Ledger.open(config)) {
            Workers workers = new Workers();
            for (int t = 0; t < threads; t++) {
                workers.start(Thread.ofPlatform(), () -> {
                    for (int i = 0; i < calls; i++) {
                        call(ledger, estimate, actual, ok, refused);
                    }
                });
            }
            workers.join();
        }
        System.out.println("RESULT ok=" + ok.get() + " refused=" + refused.get());
    }

    private static void call(Ledger ledger, BigDecimal estimate, BigDecimal actual, AtomicInteger ok,
            AtomicInteger refused) {
        String id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
        try {
            ledger.reserve(id, estimate, List.of(Budget.Scope.model("claude-sonnet")));
        } catch (BudgetExceededException e) {
            ledger.finish(id, CallEnd.failed("BudgetExceededException", 0));
            refused.incrementAndGet();
            return;
        }
        ledger.settle(id, actual);
        ledger.finish(id, CallEnd.ok(Tokens.of(100, 10), actual, 1));
        ok.incrementAndGet();
    }
}
