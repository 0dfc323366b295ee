package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.GenAi;
import dev.hearth.ledger.SpendReport;
import dev.hearth.ledger.TraceEvent;
import dev.hearth.router.FallbackChain;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every call through the front door lands in the ledger, and remote hops are held against its budgets first. */
class LedgerCallsTest {
    @TempDir
    Path dir;

    @Test
    void aLocalCallIsRecordedOnceWithItsTokensAndItsIdIsReturned() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("tiny.gguf"));
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only",
                "LOCAL_MODEL_NAME", "tiny", "MODEL_CACHE_DIR", dir.toString()))) {
            FallbackChain.Routed r = hearth.chat(ChatRequest.of("auto", List.of(ChatMessage.user("Hello"))).withMaxTokens(4));
            assertThat(r.callId()).isNotEmpty();
            hearth.flushCalls(); // a local call is recorded just after it answers, off its request path
            CallRecord call = hearth.ledger().call(r.callId()).orElseThrow();
            assertThat(call.model()).isEqualTo("tiny");
            assertThat(call.outcome()).isEqualTo("ok");
            assertThat(call.tokens().input()).isEqualTo(r.response().usage().inputTokens()).isPositive();
            assertThat(call.costUsd()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(call.firstTokenMillis()).as("time to first token").isNotNull()
                    .isLessThanOrEqualTo(call.totalMillis());
            assertThat(hearth.ledger().events(r.callId())).extracting(TraceEvent::name)
                    .containsSubsequence(GenAi.EVENT_CALL_START, GenAi.EVENT_CALL_END);
            assertThat(hearth.ledger().recentCalls(10)).hasSize(1);
        }
    }

    @Test
    void aBudgetTheWorstCaseWouldPassSendsNothingThereAndTheNextModelAnswersAtItsRealCost() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK);
             Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "claude_only",
                     "ANTHROPIC_API_KEY", "ck", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                     "DEEPSEEK_API_KEY", "dk", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString()))) {
            deepseek.defaultReply(FakeReply.text("Oslo in June."));
            hearth.ledger().setBudget(Budget.of(Budget.Scope.provider("anthropic"), Budget.Period.MONTH,
                    new BigDecimal("0.0001")));
            FallbackChain.Routed r = hearth.chat(ChatRequest.of("auto", List.of(ChatMessage.user("Plan a trip."))));
            hearth.flushCalls(); // a call's end and settlement are written off its request path
            assertThat(claude.received()).as("refused before anything was sent").isEmpty();
            assertThat(r.answeredBy().provider()).isEqualTo("deepseek");
            assertThat(r.hops()).singleElement().satisfies(h -> assertThat(h.why()).startsWith("over budget"));
            assertThat(hearth.ledger().events(r.callId())).extracting(TraceEvent::name)
                    .contains(GenAi.EVENT_BUDGET_REFUSED, GenAi.EVENT_FALLBACK);
            BigDecimal billed = hearth.cost(r).orElseThrow();
            assertThat(billed).isPositive();
            SpendReport month = hearth.ledger().spend(YearMonth.now(ZoneOffset.UTC), SpendReport.GroupBy.PROVIDER);
            assertThat(month.spendUsd()).isEqualByComparingTo(billed);
            assertThat(month.rows()).singleElement().satisfies(row -> {
                assertThat(row.key()).isEqualTo("deepseek");
                assertThat(row.costUsd()).isEqualByComparingTo(billed);
            });
        }
    }

    @Test
    void withoutALedgerLocalCallsStillAnswerAndBudgetedRemoteCallsAreRefused() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("tiny.gguf"));
        Path blocked = Files.writeString(dir.resolve("not-a-directory"), "x").resolve("ledger.db");
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only",
                "LOCAL_MODEL_NAME", "tiny", "MODEL_CACHE_DIR", dir.toString(), "HEARTH_LEDGER_PATH", blocked.toString()))) {
            FallbackChain.Routed r = hearth.chat(ChatRequest.of("auto", List.of(ChatMessage.user("Hello"))).withMaxTokens(2));
            assertThat(r.callId()).isEmpty();
            assertThat(hearth.unrecordedCalls()).isEqualTo(1);
        }
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "remote_only",
                     "ANTHROPIC_API_KEY", "ck", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                     "HEARTH_MONTHLY_BUDGET_USD", "50", "HEARTH_LEDGER_PATH", blocked.toString()))) {
            assertThatThrownBy(() -> hearth.chat(ChatRequest.of("claude-sonnet-4-6", List.of(ChatMessage.user("Hi")))))
                    .hasMessageContaining("ledger is unavailable");
            assertThat(claude.received()).isEmpty();
        }
    }

    @Test
    void aCircuitThatOpensIsATraceEventOfTheCallThatOpenedIt() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK);
             Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "claude_only",
                     "ANTHROPIC_API_KEY", "ck", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                     "DEEPSEEK_API_KEY", "dk", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString()))) {
            claude.defaultReply(FakeReply.failing(new dev.hearth.testkit.upstream.Fault.Status(500, Map.of(),
                    "api_error", "the fake is down")));
            deepseek.defaultReply(FakeReply.text("Answered by the fallback."));
            List<TraceEvent> opened = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                FallbackChain.Routed r = hearth.chat(ChatRequest.of("auto", List.of(ChatMessage.user("Plan a trip."))));
                assertThat(r.answeredBy().provider()).isEqualTo("deepseek");
                hearth.flushCalls(); // a call's events are written with its end, off its request path
                hearth.ledger().events(r.callId()).stream().filter(e -> e.name().equals(GenAi.EVENT_CIRCUIT_OPEN))
                        .forEach(opened::add);
            }
            assertThat(opened).as("claude's circuit opened once, within the calls that failed on it")
                    .singleElement().satisfies(e -> {
                        assertThat(e.attributes()).containsEntry(GenAi.REQUEST_MODEL, "claude-sonnet-4-6")
                                .containsEntry("hearth.circuit.to", "open");
                    });
        }
    }

    @Test
    void aRemoteStreamItsCallerLeavesIsRecordedCancelledAndKeepsItsHoldAsSpent() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "claude_only",
                     "ANTHROPIC_API_KEY", "ck", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                     "HEARTH_MONTHLY_BUDGET_USD", "10"))) {
            claude.defaultReply(FakeReply.text("one two three four five six seven eight nine ten"));
            ChatRequest ask = ChatRequest.of("claude-sonnet-4-6", List.of(ChatMessage.user("Count."))).withMaxTokens(64);
            assertThatThrownBy(() -> hearth.stream(ask, delta -> {
                throw new dev.hearth.api.CallCancelledException("the client left", null);
            })).isInstanceOf(dev.hearth.api.CallCancelledException.class);
            assertThat(claude.received()).as("sent once: a cancelled call is not passed to a fallback").hasSize(1);
            hearth.flushCalls();
            CallRecord call = hearth.ledger().recentCalls(1).getFirst();
            assertThat(call.outcome()).isEqualTo("cancelled");
            // output had flowed, so the vendor may bill it: the hold stays spent at its estimate
            assertThat(hearth.ledger().budgets()).singleElement().satisfies(b -> {
                assertThat(b.spentUsd()).isPositive();
                assertThat(b.reservedUsd()).isZero();
            });
        }
    }
}
