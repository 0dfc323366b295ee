package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quality tiers within a monthly budget, and the budget guard in front of every policy. */
class TiersTest {
    static final ChatRequest CODE = ChatRequest.of("auto", List.of(ChatMessage.user("Write a Python function that"
            + " parses ISO dates and add a unit test."))).withMaxTokens(1024);
    static final ChatRequest QUICK = ChatRequest.of("auto", List.of(ChatMessage.user("What is the capital of Peru?")));

    static Router router(String strategy, String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("LLM_STRATEGY", strategy, "ANTHROPIC_API_KEY", "k",
                "DEEPSEEK_API_KEY", "k"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return Router.fromEnvironment(env);
    }

    static String model(RouteDecision d) {
        return d.chain().isEmpty() ? "reject" : d.chain().getFirst().id();
    }

    @Test
    void eachTierChoosesByItsOwnMeasure() {
        assertThat(model(router("premium").explain(CODE))).isEqualTo("claude-sonnet-4-6");
        assertThat(model(router("budget").explain(CODE))).isEqualTo("deepseek-flash");
        assertThat(model(router("balanced").explain(CODE))).isEqualTo("deepseek-flash");
        assertThat(router("balanced").explain(CODE).reason()).contains("most quality per dollar");
    }

    @Test
    void preferLocalKeepsWhatTheLocalModelDoesWellOnTheMachine() {
        assertThat(model(router("premium").explain(QUICK))).isEqualTo("qwen2.5-0.5b-instruct");
        assertThat(router("premium").explain(QUICK).reason()).contains("prefer_local");
        assertThat(model(router("premium", "HEARTH_PREFER_LOCAL", "false").explain(QUICK)))
                .isNotEqualTo("qwen2.5-0.5b-instruct");
    }

    @Test
    void aSpentBudgetSendsRequestsLocalOrRefusesThemWithTheNumbers() {
        Router tight = router("premium", "HEARTH_MONTHLY_BUDGET_USD", "0.001");
        assertThat(model(tight.explain(CODE))).as("nothing remote fits $0.001").isEqualTo("qwen2.5-0.5b-instruct");
        Router hybrid = router("hybrid", "HEARTH_MONTHLY_BUDGET_USD", "0.001");
        RouteDecision d = hybrid.explain(CODE);
        assertThat(d).isInstanceOf(RouteDecision.Local.class);
        assertThat(d.reason()).contains("monthly budget of $0.00 is spent").contains("answers locally");
        Router noLocal = router("claude_only", "HEARTH_MONTHLY_BUDGET_USD", "0.001", "LOCAL_LLM_ENABLED", "false");
        assertThat(noLocal.explain(CODE)).isInstanceOfSatisfying(RouteDecision.Reject.class,
                r -> assertThat(r.reason()).contains("raise HEARTH_MONTHLY_BUDGET_USD"));
    }

    @Test
    void spendIsCountedPerCalendarMonth() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-30T23:00:00Z"));
        Budget b = new Budget(1.0, clock);
        b.record(0.75);
        assertThat(b.remaining()).isEqualTo(0.25);
        clock.advance(Duration.ofHours(2)); // December
        assertThat(b.spent()).isZero();
        assertThat(b.remaining()).isEqualTo(1.0);
    }
}
