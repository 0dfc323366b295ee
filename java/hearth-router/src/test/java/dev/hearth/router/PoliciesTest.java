package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each policy's decisions as a table over the environment users configure. */
class PoliciesTest {
    static final ChatRequest SIMPLE = ChatRequest.of("auto", List.of(ChatMessage.user("What is the capital of Norway?")));
    static final ChatRequest TOOLS = ChatRequest.of("auto", List.of(ChatMessage.user("Book a table for two.")))
            .withTools(List.of(new Tool("book", "books a table", null)), ToolChoice.AUTO);
    static final ChatRequest MATH = ChatRequest.of("auto", List.of(ChatMessage.user("Solve for x: 3x + 7 = 22")));

    static Router router(String strategy, String... keys) {
        Map<String, String> env = new HashMap<>(Map.of("LLM_STRATEGY", strategy));
        for (String k : keys) {
            env.put(k, "sk-test");
        }
        return Router.fromEnvironment(env);
    }

    static String where(RouteDecision d) {
        return switch (d) {
            case RouteDecision.Local l -> "local:" + l.model().id();
            case RouteDecision.Remote r -> "remote:" + r.model().id();
            case RouteDecision.Reject x -> "reject";
        };
    }

    @Test
    void decisionsByStrategyTaskAndKeys() {
        record Row(String strategy, ChatRequest request, String[] keys, String expected) {
        }
        String[] none = {}, anthropic = {"ANTHROPIC_API_KEY"}, deepseek = {"DEEPSEEK_API_KEY"},
                both = {"ANTHROPIC_API_KEY", "DEEPSEEK_API_KEY"};
        List<Row> rows = List.of(
                new Row("local_only", SIMPLE, both, "local:qwen2.5-0.5b-instruct"),
                new Row("local_only", TOOLS, both, "local:qwen2.5-0.5b-instruct"),
                new Row("hybrid", SIMPLE, both, "local:qwen2.5-0.5b-instruct"),
                new Row("hybrid", TOOLS, both, "remote:claude-sonnet-4-6"),
                new Row("hybrid", MATH, both, "remote:deepseek-v4-pro"),
                new Row("hybrid", MATH, anthropic, "remote:claude-sonnet-4-6"),
                new Row("hybrid", TOOLS, none, "local:qwen2.5-0.5b-instruct"),   // no key: stays local, said so
                new Row("claude_only", SIMPLE, both, "remote:claude-sonnet-4-6"),
                new Row("claude_only", MATH, both, "remote:claude-sonnet-4-6"),
                new Row("remote_only", MATH, both, "remote:deepseek-v4-pro"),
                new Row("remote_only", SIMPLE, none, "reject"),
                new Row("remote_only", SIMPLE, deepseek, "remote:deepseek-flash"),
                new Row("local_fallback", TOOLS, both, "local:qwen2.5-0.5b-instruct"));
        for (Row row : rows) {
            RouteDecision d = router(row.strategy(), row.keys()).explain(row.request());
            assertThat(where(d)).as("%s / %s / %s: %s", row.strategy(), d.classification().taskClass(),
                    List.of(row.keys()), d.reason()).isEqualTo(row.expected());
            assertThat(d.reason()).as("every decision names its policy first").startsWith(row.strategy() + ":");
        }
    }

    @Test
    void fallbackChainsFollowThePolicyAndPrivacy() {
        RouteDecision hybridTools = router("hybrid", "ANTHROPIC_API_KEY", "DEEPSEEK_API_KEY").explain(TOOLS);
        assertThat(hybridTools.chain()).extracting(ModelProfile::id).first().isEqualTo("claude-sonnet-4-6");
        assertThat(hybridTools.chain()).extracting(ModelProfile::id).last().isEqualTo("qwen2.5-0.5b-instruct");
        // local_fallback keeps everything local unless external providers are explicitly allowed
        RouteDecision privateFallback = router("local_fallback", "ANTHROPIC_API_KEY").explain(SIMPLE);
        assertThat(privateFallback.chain()).extracting(ModelProfile::local).containsOnly(true);
        Map<String, String> env = new HashMap<>(Map.of("LLM_STRATEGY", "local_fallback", "ANTHROPIC_API_KEY", "k",
                "HEARTH_ALLOW_EXTERNAL", "true"));
        assertThat(Router.fromEnvironment(env).explain(SIMPLE).chain()).extracting(ModelProfile::id)
                .containsExactly("qwen2.5-0.5b-instruct", "claude-sonnet-4-6");
        // with external providers off, hybrid keeps a tool request local and says why
        env = new HashMap<>(Map.of("LLM_STRATEGY", "hybrid", "ANTHROPIC_API_KEY", "k", "HEARTH_ALLOW_EXTERNAL", "false"));
        RouteDecision off = Router.fromEnvironment(env).explain(TOOLS);
        assertThat(where(off)).isEqualTo("local:qwen2.5-0.5b-instruct");
        assertThat(off.reason()).contains("no remote model is allowed or available");
        assertThat(off.chain()).extracting(ModelProfile::local).containsOnly(true);
    }

    @Test
    void aModelNamedInTheRequestAlwaysWinsWithinThePrivacyRules() {
        Router r = router("local_only", "DEEPSEEK_API_KEY");
        ChatRequest named = SIMPLE.withModel("deepseek-flash");
        assertThat(where(r.explain(named))).as("local_only keeps external providers off").isEqualTo("reject");
        Router hybrid = router("hybrid", "DEEPSEEK_API_KEY");
        RouteDecision d = hybrid.explain(named);
        assertThat(where(d)).isEqualTo("remote:deepseek-flash");
        assertThat(d.reason()).contains("the request names deepseek-flash");
        assertThat(hybrid.explain(SIMPLE.withModel("gpt-9"))).isInstanceOfSatisfying(RouteDecision.Reject.class,
                x -> assertThat(x.reason()).contains("unknown model \"gpt-9\"").contains("deepseek-flash"));
        assertThat(hybrid.explain(SIMPLE.withModel("claude-sonnet-4-6")).reason()).contains("no API key for anthropic");
    }

    @Test
    void anUnknownStrategyFailsAtStartWithTheChoices() {
        assertThatThrownBy(() -> router("cheapest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown strategy \"cheapest\"").hasMessageContaining("local_fallback");
    }

    @Test
    void remoteDecisionsCarryAnEstimatedCost() {
        RouteDecision d = router("claude_only", "ANTHROPIC_API_KEY").explain(SIMPLE.withMaxTokens(1000));
        assertThat(d).isInstanceOfSatisfying(RouteDecision.Remote.class, r ->
                // ~17 input tokens at $3/M + 1,000 output tokens at $15/M
                assertThat(r.estimatedCost()).isBetween(0.015, 0.0152));
    }
}
