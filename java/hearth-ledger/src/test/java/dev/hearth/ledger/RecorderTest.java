package dev.hearth.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Finished calls recorded off the request path, in batches, on both stores. */
class RecorderTest {
    private static final BigDecimal ACTUAL = new BigDecimal("0.003");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void writesEverySubmittedCallAndABadOneCostsOnlyItself(StoreKind kind) throws Exception {
        try (Ledger ledger = Ledger.open(kind.config(dir).withGlobalMonthlyBudget(BigDecimal.TEN))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
                ledger.reserve(id, new BigDecimal("0.01"), List.of());
                ids.add(id);
            }
            try (Recorder recorder = new Recorder(ledger, 25, 100)) {
                for (int i = 0; i < ids.size(); i++) {
                    assertThat(recorder.submit(done(ids.get(i)))).isTrue();
                    if (i == 30) {
                        assertThat(recorder.submit(done("no-such-call"))).isTrue();
                    }
                }
                recorder.flush();
                assertThat(recorder.written()).isEqualTo(60);
                assertThat(recorder.failed()).isEqualTo(1);
            }
            assertThat(ids).allSatisfy(id -> assertThat(ledger.call(id).orElseThrow().outcome()).isEqualTo("ok"));
            BudgetStatus global = ledger.budgets().getFirst();
            assertThat(global.reservedUsd()).isZero();
            assertThat(global.spentUsd()).isEqualByComparingTo(ACTUAL.multiply(BigDecimal.valueOf(60)));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void closeWritesWhatIsQueuedAndThenRefusesMore(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir))) {
            String id = ledger.begin(CallStart.local("qwen"));
            Recorder recorder = new Recorder(ledger, 10, 10);
            recorder.submit(new Completion(id, null, CallEnd.ok(Tokens.of(1, 1), BigDecimal.ZERO, 1)));
            recorder.close();
            recorder.close();
            assertThat(ledger.call(id).orElseThrow().endedAt()).isNotNull();
            assertThatThrownBy(() -> recorder.submit(done(id))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> new Recorder(ledger, 10, 5)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static Completion done(String id) {
        return new Completion(id, ACTUAL, CallEnd.ok(Tokens.of(100, 10), ACTUAL, 5));
    }
}
