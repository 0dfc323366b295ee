package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.remote.AnthropicClient;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.RemoteConfig;
import dev.hearth.remote.RetryPolicy;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructuredOutputTest {
    static final ChatRequest REQUEST = ChatRequest.of("auto", List.of(ChatMessage.user("Give the order as JSON.")));

    @Test
    void aFailedAnswerIsRetriedWithTheErrorThenTheNextModelThenTheFallback() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("k");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("k", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            StructuredOutput structured = new StructuredOutput(chain(claude, deepseek));
            RouteDecision d = Router.fromEnvironment(Map.of("LLM_STRATEGY", "claude_only", "ANTHROPIC_API_KEY", "k",
                    "DEEPSEEK_API_KEY", "k")).explain(REQUEST);
            assertThat(d.chain()).hasSizeGreaterThanOrEqualTo(2);

            claude.enqueue(FakeReply.text("Sure! Here it is: {order"), FakeReply.text("{\"order\": 42}"));
            var retried = structured.run(REQUEST, d, StructuredOutput.Validator.jsonObject(), () -> "{}");
            assertThat(retried.producedBy()).isEqualTo("claude-sonnet-4-6 after a retry");
            assertThat(retried.output()).isEqualTo("{\"order\": 42}");
            assertThat(claude.lastRequest().body()).contains("That answer was rejected: the answer is not valid JSON");

            claude.enqueue(FakeReply.text("no"), FakeReply.text("still no"));
            deepseek.defaultReply(FakeReply.text("{\"order\": 7}"));
            var next = structured.run(REQUEST, d, StructuredOutput.Validator.jsonObject(), () -> "{}");
            assertThat(next.producedBy()).startsWith("deepseek");
            assertThat(next.attempts()).hasSize(2);

            claude.defaultReply(FakeReply.text("nope"));
            deepseek.defaultReply(FakeReply.text("[1, 2]"));
            var fallback = structured.run(REQUEST, d, StructuredOutput.Validator.jsonObject(), () -> "{\"order\": null}");
            assertThat(fallback.producedBy()).isEqualTo("fallback function");
            assertThat(fallback.output()).isEqualTo("{\"order\": null}");
            assertThat(fallback.attempts()).anyMatch(a -> a.contains("JSON but not an object"));
        }
    }

    private static FallbackChain chain(FakeAnthropicServer claude, FakeOpenAiServer deepseek) {
        ChatBackend c = new AnthropicClient(RemoteConfig.of("anthropic", claude.baseUri(), "k").withRetry(RetryPolicy.none()));
        ChatBackend ds = new OpenAiCompatibleClient(RemoteConfig.of("deepseek", deepseek.baseUri(), "k")
                .withRetry(RetryPolicy.none()));
        return new FallbackChain(p -> p.provider().equals("anthropic") ? c : ds);
    }
}
