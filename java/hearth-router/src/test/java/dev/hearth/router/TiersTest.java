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
        assertThat(d.reason()).contains("monthly budget of $0.001 is spent").contains("answers locally");
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

    @Test
    void theLedgersReadingOfTheMonthReplacesWhatThisProcessCountedAndIsReadAtMostOnceASecond() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-30T10:00:00Z"));
        Budget b = new Budget(1.0, clock);
        b.record(0.75);
        int[] reads = {0};
        double[] ledgerSpent = {0.10};
        b.readFrom(() -> {
            reads[0]++;
            return new Budget.Reading(2.0, ledgerSpent[0]);
        });
        assertThat(b.monthlyLimit()).as("the ledger's limit").isEqualTo(2.0);
        assertThat(b.remaining()).as("a restart forgets nothing: the ledger holds the month").isEqualTo(1.9);
        ledgerSpent[0] = 1.5; // another instance spent
        assertThat(b.spent()).as("within the second, the last reading").isEqualTo(0.10);
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.spent()).isEqualTo(1.5);
        assertThat(reads[0]).isEqualTo(2);
        b.readFrom(() -> {
            throw new IllegalStateException("ledger locked");
        });
        assertThat(b.spent()).as("an unreadable ledger falls back to this process's count").isEqualTo(0.75);
        b.readFrom(() -> null);
        assertThat(b.monthlyLimit()).as("no global monthly budget in the ledger: the process's own").isEqualTo(1.0);
    }

    @Test
    void callersScoresKeepOrMoveATiersChoice() {
        Router premium = router("premium");
        assertThat(model(premium.explain(CODE))).isEqualTo("claude-sonnet-4-6");
        List<MeasuredQuality.Scores> scores = new java.util.ArrayList<>();
        premium.config().quality().readFrom(() -> scores);
        scores.add(new MeasuredQuality.Scores("claude-sonnet-4-6", "code", 3, 15)); // three 5s agree with it
        assertThat(model(premium.explain(CODE))).isEqualTo("claude-sonnet-4-6");

        Router again = router("premium");
        List<MeasuredQuality.Scores> many = List.of(new MeasuredQuality.Scores("claude-sonnet-4-6", "code", 40, 40));
        again.config().quality().readFrom(() -> many);
        assertThat(model(again.explain(CODE))).as("forty 1-out-of-5 scores at code").isNotEqualTo("claude-sonnet-4-6");
    }

    @Test
    void measuredQualityBlendsTheDeclaredValueWithScoresOfTheTaskClassElseAllTheModelsScores() {
        ModelProfile p = Router.fromEnvironment(Map.of()).registry().find("claude-sonnet-4-6").orElseThrow();
        MeasuredQuality q = new MeasuredQuality(new ManualClock(Instant.parse("2026-11-30T10:00:00Z")));
        assertThat(q.of(p, TaskClass.CODE)).as("no scores: as declared").isEqualTo(p.quality());
        q.readFrom(() -> List.of(new MeasuredQuality.Scores(p.id(), "code", 5, 25),
                new MeasuredQuality.Scores(p.id(), "math", 5, 5)));
        // five 5s at code weigh as much as the declaration: halfway to 1.0
        assertThat(q.of(p, TaskClass.CODE)).isCloseTo((p.quality() + 1.0) / 2, org.assertj.core.data.Offset.offset(1e-9));
        // none at general: all ten of the model's scores (mean 3 = 0.5)
        assertThat(q.of(p, TaskClass.GENERAL)).isCloseTo((p.quality() * 5 + 0.5 * 10) / 15,
                org.assertj.core.data.Offset.offset(1e-9));
    }
}
