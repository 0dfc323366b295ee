package dev.hearth.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.hearth.testkit.ManualClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Calls, trace events, content, feedback, rollups and pruning: the same behaviour on SQLite and PostgreSQL. */
class CallsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);

    private static CallStart remoteStart() {
        return new CallStart(EntryPoint.CLI, new Caller("team-a", "summarizer", "u1"), "summarize", "remote",
                "needs a larger context", "claude-sonnet", "anthropic", true, "the prompt");
    }

    private static CallEnd fullEnd() {
        return new CallEnd(CallEnd.OK, new Tokens(1000, 200, 50, 400, 30), new BigDecimal("0.012345678"),
                LocalDate.parse("2026-11-01"), new BigDecimal("0.05"), 120L, 2120L, 1, "redacted", 2, null, null,
                "the answer");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void recentEventsOfOneNameComeFromTheCallsThatStartedSinceNewestFirst(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            String before = ledger.begin(remoteStart());
            ledger.event(before, GenAi.EVENT_REDACTED, Map.of("hearth.findings", "password"));
            clock.advance(Duration.ofMinutes(10));
            Instant since = clock.instant();
            String a = ledger.begin(remoteStart());
            ledger.event(a, GenAi.EVENT_REDACTED, Map.of("hearth.findings", "password, api key"));
            ledger.event(a, GenAi.EVENT_FALLBACK, Map.of("hearth.from", "x", "hearth.to", "y"));
            clock.advance(Duration.ofSeconds(1));
            String b = ledger.begin(remoteStart());
            ledger.event(b, GenAi.EVENT_REDACTED, Map.of("hearth.findings", "token"));

            List<TraceEvent> redacted = ledger.events(GenAi.EVENT_REDACTED, since, 10);
            assertThat(redacted).extracting(TraceEvent::callId).containsExactly(b, a);
            assertThat(redacted.get(1).attributes()).containsEntry("hearth.findings", "password, api key");
            assertThat(redacted).extracting(TraceEvent::name).containsOnly(GenAi.EVENT_REDACTED);
            assertThat(ledger.events(GenAi.EVENT_REDACTED, since, 1)).extracting(TraceEvent::callId).containsExactly(b);
            assertThat(ledger.events(GenAi.EVENT_REDACTED, since.minus(Duration.ofHours(1)), 10)).hasSize(3);
            assertThatThrownBy(() -> ledger.events(GenAi.EVENT_REDACTED, since, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void recordsEveryFieldOfACallFromBeginToFinish(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            String id = ledger.begin(remoteStart());
            clock.advance(Duration.ofMillis(2120));
            assertThat(ledger.finish(id, fullEnd())).isTrue();

            CallRecord r = ledger.call(id).orElseThrow();
            assertThat(r.startedAt()).isEqualTo(T0);
            assertThat(r.endedAt()).isEqualTo(T0.plusMillis(2120));
            assertThat(r.entryPoint()).isEqualTo(EntryPoint.CLI);
            assertThat(r.caller()).isEqualTo(new Caller("team-a", "summarizer", "u1"));
            assertThat(r.taskClass()).isEqualTo("summarize");
            assertThat(r.route()).isEqualTo("remote");
            assertThat(r.routeReason()).isEqualTo("needs a larger context");
            assertThat(r.model()).isEqualTo("claude-sonnet");
            assertThat(r.provider()).isEqualTo("anthropic");
            assertThat(r.remote()).isTrue();
            assertThat(r.tokens()).isEqualTo(new Tokens(1000, 200, 50, 400, 30));
            assertThat(r.costUsd()).isEqualTo(new BigDecimal("0.012345678"));
            assertThat(r.priceAsOf()).isEqualTo(LocalDate.parse("2026-11-01"));
            assertThat(r.baselineCostUsd()).isEqualByComparingTo("0.05");
            assertThat(r.savingsUsd()).isEqualByComparingTo("0.037654322");
            assertThat(r.firstTokenMillis()).isEqualTo(120L);
            assertThat(r.totalMillis()).isEqualTo(2120L);
            assertThat(r.outputTokensPerSecond()).isEqualByComparingTo("200");
            assertThat(r.outcome()).isEqualTo("ok");
            assertThat(r.fallbackHops()).isEqualTo(1);
            assertThat(r.privacy()).isEqualTo("redacted");
            assertThat(r.cacheHits()).isEqualTo(2);
            assertThat(r.prompt()).as("content is off by default").isNull();
            assertThat(r.answer()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void idsAreTimeOrderedAndASecondFinishChangesNothing(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(ledger.begin(CallStart.local("qwen")));
                if (i == 2) {
                    clock.advance(Duration.ofMillis(1));
                }
            }
            assertThat(ids).isSorted().doesNotHaveDuplicates();
            assertThat(ledger.recentCalls(10)).extracting(CallRecord::id).containsExactlyElementsOf(ids.reversed());

            assertThat(ledger.finish(ids.get(0), CallEnd.ok(Tokens.of(10, 5), BigDecimal.ZERO, 7))).isTrue();
            assertThat(ledger.finish(ids.get(0), CallEnd.failed("ProviderException", 9))).isFalse();
            assertThat(ledger.call(ids.get(0)).orElseThrow().outcome()).isEqualTo("ok");
            assertThat(ledger.spend(YearMonth.of(2026, 11), SpendReport.GroupBy.MODEL).rows())
                    .singleElement().satisfies(row -> assertThat(row.calls()).isEqualTo(1));
            assertThatThrownBy(() -> ledger.finish("no-such-call", CallEnd.ok(Tokens.NONE, BigDecimal.ZERO, 0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no call no-such-call");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void traceEventsUseOpenTelemetryGenAiNames(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            String ok = ledger.begin(remoteStart());
            ledger.event(ok, GenAi.EVENT_FALLBACK, Map.of(GenAi.REQUEST_MODEL, "deepseek-chat"));
            ledger.finish(ok, fullEnd().withAnsweredBy("deepseek-chat", "deepseek", 1));
            String failed = ledger.begin(CallStart.remote("openai", "gpt-x"));
            ledger.finish(failed, CallEnd.failed("ProviderException", 30));

            List<TraceEvent> trace = ledger.events(ok);
            assertThat(trace).extracting(TraceEvent::name).containsExactly(GenAi.EVENT_CALL_START,
                    GenAi.EVENT_FALLBACK, GenAi.EVENT_FIRST_TOKEN, GenAi.EVENT_CALL_END);
            assertThat(trace.get(2).at()).isEqualTo(trace.getFirst().at().plusMillis(120));
            assertThat(trace.get(2).attributes()).containsEntry(GenAi.HEARTH_TTFT_MS, "120");
            assertThat(trace.getFirst().attributes()).containsEntry("gen_ai.operation.name", "chat")
                    .containsEntry("gen_ai.request.model", "claude-sonnet")
                    .containsEntry("gen_ai.provider.name", "anthropic");
            assertThat(trace.getLast().attributes()).containsEntry("gen_ai.usage.input_tokens", "1000")
                    .containsEntry("gen_ai.usage.output_tokens", "400")
                    .containsEntry("gen_ai.response.model", "deepseek-chat");
            assertThat(ledger.call(ok).orElseThrow().model()).isEqualTo("deepseek-chat");
            assertThat(ledger.events(failed)).extracting(TraceEvent::name)
                    .doesNotContain(GenAi.EVENT_FIRST_TOKEN); // it never produced one
            assertThat(ledger.events(failed).getLast()).satisfies(e -> {
                assertThat(e.name()).isEqualTo(GenAi.EVENT_CALL_ERROR);
                assertThat(e.attributes()).containsEntry("error.type", "ProviderException");
            });
            assertThatThrownBy(() -> ledger.event("nope", GenAi.EVENT_FALLBACK, Map.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void storesPromptsAndAnswersOnlyWhenAskedTo(StoreKind kind) {
        LedgerConfig.Store store = kind.fresh(dir);
        String without;
        try (Ledger ledger = Ledger.open(LedgerConfig.of(store), clock)) {
            without = ledger.begin(remoteStart());
            ledger.finish(without, fullEnd());
        }
        try (Ledger ledger = Ledger.open(LedgerConfig.of(store).withStoreContent(true), clock)) {
            String with = ledger.begin(remoteStart());
            ledger.finish(with, fullEnd());
            assertThat(ledger.call(with).orElseThrow()).satisfies(r -> {
                assertThat(r.prompt()).isEqualTo("the prompt");
                assertThat(r.answer()).isEqualTo("the answer");
            });
            assertThat(ledger.call(without).orElseThrow().prompt()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void feedbackGivesAMeasuredQualityPerModelAndTaskClass(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            String a = ledger.begin(CallStart.local("qwen").withTaskClass("code"));
            String b = ledger.begin(CallStart.local("qwen").withTaskClass("code"));
            String c = ledger.begin(CallStart.local("llama"));
            ledger.feedback(a, 2, "wrong import");
            ledger.feedback(a, 4, "fixed on second look");
            ledger.feedback(b, 5, null);
            ledger.feedback(c, 3, null);
            assertThat(ledger.quality()).containsExactly(new Quality("llama", "", 1, 3),
                    new Quality("qwen", "code", 2, 9));
            assertThat(ledger.quality().getLast().mean()).isEqualByComparingTo("4.5");
            assertThatThrownBy(() -> ledger.feedback(a, 6, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 (useless) to 5");
            assertThatThrownBy(() -> ledger.feedback("missing", 3, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no call missing");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void spendIsReportedFromDailyRollupsByEachGrouping(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir).withGlobalMonthlyBudget(new BigDecimal("10")), clock)) {
            finish(ledger, new CallStart(EntryPoint.HTTP, new Caller("k1", "bot", null), null, "remote", null,
                    "claude-sonnet", "anthropic", true, null), "0.30", "0.50", 100, 10);
            finish(ledger, new CallStart(EntryPoint.HTTP, new Caller("k2", null, null), null, "remote", null,
                    "claude-sonnet", "anthropic", true, null), "0.20", "0.50", 50, 5);
            finish(ledger, CallStart.local("qwen"), "0", "0.50", 10, 1);
            clock.advance(Duration.ofDays(1)); // 2026-12-01: the next month
            finish(ledger, CallStart.local("qwen"), "0", "0.50", 10, 1);
            clock.advance(Duration.ofDays(1));
            finish(ledger, CallStart.local("qwen"), "0", "0.50", 10, 1);

            SpendReport byModel = ledger.spend(YearMonth.of(2026, 11), SpendReport.GroupBy.MODEL);
            assertThat(byModel.spendUsd()).isEqualByComparingTo("0.50");
            assertThat(byModel.savingsUsd()).isEqualByComparingTo("1.00");
            assertThat(byModel.budgetUsd()).isEqualByComparingTo("10");
            assertThat(byModel.rows()).containsExactly(
                    new SpendReport.Row("claude-sonnet", 2, 150, 15, new BigDecimal("0.5"), new BigDecimal("1")),
                    new SpendReport.Row("qwen", 1, 10, 1, BigDecimal.ZERO, new BigDecimal("0.5")));
            assertThat(ledger.spend(YearMonth.of(2026, 11), SpendReport.GroupBy.KEY).rows())
                    .extracting(SpendReport.Row::key).containsExactly("", "k1", "k2");
            assertThat(ledger.spend(YearMonth.of(2026, 11), SpendReport.GroupBy.AGENT).rows())
                    .extracting(SpendReport.Row::key).containsExactly("", "bot");
            assertThat(ledger.spend(YearMonth.of(2026, 12), SpendReport.GroupBy.DAY).rows())
                    .extracting(SpendReport.Row::key, SpendReport.Row::calls)
                    .containsExactly(tuple("2026-12-01", 1L), tuple("2026-12-02", 1L));
            assertThat(ledger.spend(YearMonth.of(2026, 12), SpendReport.GroupBy.PROVIDER).rows())
                    .singleElement().satisfies(row -> assertThat(row.key()).isEqualTo("local"));
        }
    }

    private static void finish(Ledger ledger, CallStart start, String cost, String baseline, long in, long out) {
        String id = ledger.begin(start);
        ledger.finish(id, CallEnd.ok(Tokens.of(in, out), new BigDecimal(cost), 10)
                .withBaseline(new BigDecimal(baseline)));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void prunesRawCallsPastTheRetentionInBatchesAndKeepsTheRollups(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir).withRetention(Duration.ofDays(90)), clock)) {
            List<String> old = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = ledger.begin(CallStart.remote("anthropic", "claude-sonnet"));
                ledger.reserve(id, new BigDecimal("0.01"), List.of());
                ledger.settle(id, new BigDecimal("0.01"));
                ledger.finish(id, CallEnd.ok(Tokens.of(1, 1), new BigDecimal("0.01"), 1));
                old.add(id);
            }
            clock.advance(Duration.ofDays(89));
            String recent = ledger.begin(CallStart.local("qwen"));
            clock.advance(Duration.ofDays(2));

            assertThat(ledger.prune(2)).isEqualTo(5);
            assertThat(old).allSatisfy(id -> {
                assertThat(ledger.call(id)).isEmpty();
                assertThat(ledger.events(id)).isEmpty();
            });
            assertThat(ledger.call(recent)).isPresent();
            assertThat(ledger.spend(YearMonth.of(2026, 11), SpendReport.GroupBy.MODEL).spendUsd())
                    .isEqualByComparingTo("0.05");
            assertThat(ledger.prune(2)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCallsSpeculativeDecodingCountsAreRecordedWithItAndKeptThroughItsOtherChanges(StoreKind kind) {
        try (Ledger ledger = Ledger.open(kind.config(dir), clock)) {
            String id = ledger.begin(remoteStart());
            CallEnd end = fullEnd().withDrafts(90, 61).withAnsweredBy("tiny", "local", 0).withFirstToken(5);
            assertThat(ledger.finish(id, end)).isTrue();
            CallRecord r = ledger.call(id).orElseThrow();
            assertThat(r.draftedTokens()).isEqualTo(90);
            assertThat(r.acceptedDraftTokens()).isEqualTo(61);
            String plain = ledger.begin(remoteStart());
            ledger.finish(plain, fullEnd());
            assertThat(ledger.call(plain).orElseThrow().draftedTokens()).as("a call that drafted nothing").isZero();
        }
        assertThatThrownBy(() -> fullEnd().withDrafts(3, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 <= accepted <= drafted");
    }
}
