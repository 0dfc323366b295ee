package dev.hearth.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatResponse;
import dev.hearth.api.StopReason;
import dev.hearth.api.ToolCall;
import dev.hearth.api.Usage;
import dev.hearth.testkit.ManualClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The response cache's two stores behave alike (memory, and the ledger's database on SQLite and PostgreSQL): an answer
 * comes back whole until it expires, the bound evicts the oldest, similar answers come newest first; the ledger's
 * survives a reopen; and a cache hit is recorded with what it saved, in the call and in the month's spend.
 */
class ResponseCacheTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Duration TTL = Duration.ofHours(1);

    /** The three places answers can be kept. */
    enum Store {
        MEMORY, SQLITE, POSTGRES
    }

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);

    /** Runs {@code test} on a fresh cache of {@code store}, bounded to {@code max} answers. */
    private void with(Store store, int max, Consumer<ResponseCache> test) {
        if (store == Store.MEMORY) {
            test.accept(ResponseCache.inMemory(max));
            return;
        }
        StoreKind kind = store == Store.SQLITE ? StoreKind.SQLITE : StoreKind.POSTGRES;
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            test.accept(ledger.responseCache(max));
        }
    }

    private static ChatResponse answer(String text) {
        return new ChatResponse("msg_1", "claude-sonnet-4-6-20260101", text, "thought about it", "sig",
                List.of(new ToolCall("call_1", "lookup", "{\"q\":\"oslo\"}")), StopReason.TOOL_USE, "tool_use",
                new Usage(120, 40, 10, 5, 7));
    }

    private ResponseCache.Entry entry(String key, String text, Instant at) {
        return new ResponseCache.Entry(key, null, null, answer(text), "claude-sonnet-4-6", new BigDecimal("0.0123"),
                at, at.plus(TTL));
    }

    private ResponseCache.Entry similar(String key, String similarKey, float[] v, Instant at) {
        return new ResponseCache.Entry(key, similarKey, v, answer(key), "qwen", BigDecimal.ZERO, at, at.plus(TTL));
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void anAnswerComesBackWholeUntilItExpires(Store store) {
        with(store, 10, cache -> {
            cache.put(entry("k1", "Oslo in June.", T0));
            ResponseCache.Entry got = cache.get("k1", T0.plusSeconds(1)).orElseThrow();
            assertThat(got.response()).isEqualTo(answer("Oslo in June."));
            assertThat(got.model()).isEqualTo("claude-sonnet-4-6");
            assertThat(got.costUsd()).isEqualByComparingTo("0.0123");
            assertThat(got.storedAt()).isEqualTo(T0);
            assertThat(got.expiresAt()).isEqualTo(T0.plus(TTL));
            assertThat(cache.get("k2", T0)).isEmpty();
            assertThat(cache.get("k1", T0.plus(TTL).minusMillis(1))).isPresent();
            assertThat(cache.get("k1", T0.plus(TTL))).as("expired").isEmpty();

            cache.put(entry("k1", "Bergen in July.", T0.plusSeconds(5)));
            assertThat(cache.get("k1", T0.plusSeconds(6)).orElseThrow().response().content())
                    .as("replaced").isEqualTo("Bergen in July.");
            assertThat(cache.size()).isOne();
            assertThat(cache.remove("k1")).isTrue();
            assertThat(cache.remove("k1")).isFalse();
            assertThat(cache.get("k1", T0.plusSeconds(6))).isEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void theBoundEvictsTheOldestAndStoringDropsWhatExpired(Store store) {
        with(store, 2, cache -> {
            cache.put(entry("a", "first", T0));
            cache.put(entry("b", "second", T0.plusSeconds(1)));
            cache.put(entry("c", "third", T0.plusSeconds(2)));
            assertThat(cache.size()).isEqualTo(2);
            assertThat(cache.get("a", T0.plusSeconds(3))).as("the oldest went").isEmpty();
            assertThat(cache.get("b", T0.plusSeconds(3))).isPresent();
            assertThat(cache.get("c", T0.plusSeconds(3))).isPresent();

            cache.put(entry("d", "much later", T0.plus(TTL).plusSeconds(2)));
            assertThat(cache.size()).as("b and c expired by the time d was kept").isOne();
            assertThat(cache.clear()).isOne();
            assertThat(cache.size()).isZero();
        });
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void similarAnswersComeNewestFirstWithTheirEmbeddings(Store store) {
        with(store, 10, cache -> {
            cache.put(similar("q1", "model+system", new float[] {1f, 0f, -0.5f}, T0));
            cache.put(similar("q2", "model+system", new float[] {0.25f, 0.75f, 0f}, T0.plusSeconds(1)));
            cache.put(similar("q3", "other system", new float[] {1f, 0f, 0f}, T0.plusSeconds(2)));
            cache.put(entry("exact", "no embedding", T0.plusSeconds(3)));

            List<ResponseCache.Entry> found = cache.similar("model+system", T0.plusSeconds(4), 10);
            assertThat(found).extracting(ResponseCache.Entry::key).containsExactly("q2", "q1");
            assertThat(found.get(1).embedding()).containsExactly(1f, 0f, -0.5f);
            assertThat(found.get(1).similarKey()).isEqualTo("model+system");
            assertThat(cache.similar("model+system", T0.plusSeconds(4), 1)).extracting(ResponseCache.Entry::key)
                    .containsExactly("q2");
            assertThat(cache.similar("model+system", T0.plus(TTL), 10)).extracting(ResponseCache.Entry::key)
                    .as("q1 expired").containsExactly("q2");
        });
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theLedgersCacheSurvivesAReopenAndIsSharedByEveryoneOnTheDatabase(StoreKind kind) {
        LedgerConfig config = kind.config(dir);
        try (Ledger ledger = Ledger.open(config, clock)) {
            ledger.responseCache(100).put(entry("k1", "Oslo in June.", T0));
        }
        try (Ledger again = Ledger.open(config, clock); Ledger other = Ledger.open(config, clock)) {
            assertThat(again.responseCache(100).get("k1", T0.plusSeconds(1))).isPresent();
            other.responseCache(100).put(entry("k2", "from another instance", T0.plusSeconds(2)));
            assertThat(again.responseCache(100).get("k2", T0.plusSeconds(3)).orElseThrow().response().content())
                    .isEqualTo("from another instance");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCacheHitIsACallThatCostNothingAndSavedTheFirstCallsCost(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            String first = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            ledger.finish(first, CallEnd.ok(Tokens.of(100, 20), new BigDecimal("0.004"), 900));
            String hit = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
            ledger.finish(hit, CallEnd.ok(Tokens.NONE, new BigDecimal("0.004"), 2)
                    .withCacheHit(new BigDecimal("0.004")));

            CallRecord r = ledger.call(hit).orElseThrow();
            assertThat(r.cacheHits()).isOne();
            assertThat(r.costUsd()).isEqualByComparingTo("0");
            assertThat(r.savedUsd()).isEqualByComparingTo("0.004");
            assertThat(ledger.call(first).orElseThrow().savedUsd()).isEqualByComparingTo("0");

            SpendReport month = ledger.spend(YearMonth.of(2026, 11), SpendReport.GroupBy.MODEL);
            assertThat(month.spendUsd()).isEqualByComparingTo("0.004");
            assertThat(month.cacheHits()).isOne();
            assertThat(month.cacheSavedUsd()).isEqualByComparingTo("0.004");
            assertThat(month.rows()).singleElement().satisfies(row -> {
                assertThat(row.calls()).isEqualTo(2);
                assertThat(row.cacheHits()).isOne();
                assertThat(row.cacheSavedUsd()).isEqualByComparingTo("0.004");
            });
            assertThat(SpendJson.of(month).get("cache_hits").asLong()).isOne();
            assertThat(SpendJson.of(month).get("cache_saved_usd").decimalValue()).isEqualByComparingTo("0.004");
            assertThat(SpendJson.of(month).get("rows").get(0).get("cache_hits").asLong()).isOne();
        }
    }

    @Test
    void anEntryIsCheckedWhenMade() {
        assertThatThrownBy(() -> ResponseCache.inMemory(0)).hasMessageContaining("at least one answer");
        assertThatThrownBy(() -> new ResponseCache.Entry("k", "s", null, answer("x"), "m", BigDecimal.ONE, T0, T0))
                .hasMessageContaining("similar key and an embedding");
        assertThatThrownBy(() -> new ResponseCache.Entry("k", null, null, answer("x"), "m", new BigDecimal("-1"), T0,
                T0)).hasMessageContaining("negative");
    }
}
