package dev.hearth.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.ChildJvm;
import dev.hearth.testkit.Workers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two processes of eight threads each spend against one budget that runs out midway, on one SQLite file and on one
 * PostgreSQL database: at every moment sampled, spent + reserved stays within the limit; afterwards every call is
 * recorded once, nothing stays reserved, and the spend is exactly the admitted calls' cost.
 */
class ConcurrentSpendTest {
    private static final int PROCESSES = 2;
    private static final int THREADS = 8;
    private static final int CALLS = 8;
    private static final BigDecimal LIMIT = new BigDecimal("0.60");
    private static final Pattern RESULT = Pattern.compile("RESULT ok=(\\d+) refused=(\\d+)");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void twoProcessesNeverOverspendOneBudget(StoreKind kind) throws Exception {
        LedgerConfig config = kind.config(dir);
        try (Ledger ledger = Ledger.open(config)) {
            ledger.setBudget(Budget.of(Budget.Scope.model("claude-sonnet"), Budget.Period.MONTH, LIMIT));
            String[] where = ChildStore.args(config.store());
            List<ChildJvm.Outcome> outcomes = new CopyOnWriteArrayList<>();
            Workers children = new Workers();
            for (int p = 0; p < PROCESSES; p++) {
                children.start(() -> outcomes.add(ChildJvm.run(SpendWorker.class, Map.of(), 180, where[0], where[1],
                        Integer.toString(THREADS), Integer.toString(CALLS), "0.01", "0.008")));
            }
            int samples = 0;
            while (children.anyAlive()) {
                BudgetStatus s = ledger.budgets().getFirst();
                assertThat(s.spentUsd().add(s.reservedUsd())).as("spent + reserved, sample " + samples)
                        .isLessThanOrEqualTo(LIMIT);
                samples++;
                Thread.sleep(10); // sampling, not timing: leave the two cores to the children
            }
            children.join();

            int ok = 0;
            int refused = 0;
            for (ChildJvm.Outcome o : outcomes) {
                assertThat(o.exitCode()).as(o.output()).isZero();
                Matcher m = RESULT.matcher(o.output());
                assertThat(m.find()).as(o.output()).isTrue();
                ok += Integer.parseInt(m.group(1));
                refused += Integer.parseInt(m.group(2));
            }
            int total = PROCESSES * THREADS * CALLS;
            assertThat(ok + refused).isEqualTo(total);
            assertThat(ok).as("the budget ran out midway").isBetween(1, total - 1);
            assertThat(refused).isPositive();

            BudgetStatus after = ledger.budgets().getFirst();
            assertThat(after.reservedUsd()).isZero();
            assertThat(after.spentUsd()).isEqualByComparingTo(new BigDecimal("0.008").multiply(BigDecimal.valueOf(ok)));
            assertThat(after.spentUsd()).isLessThanOrEqualTo(LIMIT);

            List<CallRecord> calls = ledger.recentCalls(total + 10);
            assertThat(calls).hasSize(total);
            assertThat(calls).extracting(CallRecord::id).doesNotHaveDuplicates();
            assertThat(calls).filteredOn(c -> "ok".equals(c.outcome())).hasSize(ok);
            assertThat(calls).filteredOn(c -> "BudgetExceededException".equals(c.outcome())).hasSize(refused);
        }
    }
}
