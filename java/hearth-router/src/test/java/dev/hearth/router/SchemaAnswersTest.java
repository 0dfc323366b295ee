package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ResponseFormat;
import dev.hearth.remote.AnthropicClient;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.RemoteConfig;
import dev.hearth.remote.RetryPolicy;
import dev.hearth.schema.InvalidAnswerException;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Remote models that ignore a schema's bounds: their answers are validated through the fallback chain, asked for once
 * more with the violation, then replaced by the next model's, and never returned invalid.
 */
class SchemaAnswersTest {
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"mood\":{\"enum\":[\"happy\",\"sad\"]},"
            + "\"score\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1}},\"required\":[\"mood\",\"score\"],"
            + "\"additionalProperties\":false}";
    private static final ChatRequest REQUEST = ChatRequest.of("auto", List.of(ChatMessage.user("Rate the mood.")))
            .withResponseFormat(ResponseFormat.jsonSchema("mood", SCHEMA, true));

    @Test
    void anAnswerOutOfBoundsIsAskedForAgainWithTheViolationThenTheNextModelAnswers() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("k");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("k", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            FallbackChain chain = chain(claude, deepseek);
            RouteDecision d = decision();

            claude.enqueue(FakeReply.text("{\"mood\":\"happy\",\"score\":5}"), FakeReply.text("{\"mood\":\"happy\",\"score\":0.5}"));
            var retried = chain.execute(REQUEST, d, null);
            assertThat(retried.response().content()).isEqualTo("{\"mood\":\"happy\",\"score\":0.5}");
            assertThat(retried.hops()).isEmpty();
            assertThat(claude.lastRequest().body()).contains("does not match the required JSON schema").contains("maximum");
            assertThat(retried.response().usage().inputTokens()).as("both attempts are billed (12 input tokens each)")
                    .isEqualTo(24);

            claude.enqueue(FakeReply.text("{\"mood\":\"angry\",\"score\":0}"), FakeReply.text("{\"mood\":\"happy\"}"));
            deepseek.enqueue(FakeReply.text("{\"mood\":\"sad\",\"score\":0.25}"));
            var next = chain.execute(REQUEST, d, null);
            assertThat(next.answeredBy().provider()).isEqualTo("deepseek");
            assertThat(next.hops()).singleElement().satisfies(h -> assertThat(h.why()).contains("does not match the schema"));

            claude.defaultReply(FakeReply.text("{\"mood\":\"happy\",\"score\":-1}"));
            deepseek.defaultReply(FakeReply.text("not json at all"));
            assertThatThrownBy(() -> chain.execute(REQUEST, d, null))
                    .isInstanceOfSatisfying(InvalidAnswerException.class, e -> assertThat(e.violations()).isNotEmpty());
        }
    }

    @Test
    void aStreamedAnswerThatFailsIsAnErrorAndIsNotReplaced() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("k");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("k", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            claude.enqueue(FakeReply.text("{\"mood\":\"happy\",\"score\":7}"));
            deepseek.defaultReply(FakeReply.text("{\"mood\":\"sad\",\"score\":0.25}"));
            StringBuilder shown = new StringBuilder();
            assertThatThrownBy(() -> chain(claude, deepseek).execute(REQUEST, decision(), new ChatSink() {
                @Override
                public void onContent(String delta) {
                    shown.append(delta);
                }
            })).isInstanceOfSatisfying(InvalidAnswerException.class,
                    e -> assertThat(e.violations()).anySatisfy(v -> assertThat(v).contains("score")));
            assertThat(shown.toString()).contains("\"score\":7");
            assertThat(deepseek.received()).isEmpty();
            assertThat(claude.received()).hasSize(1);
        }
    }

    @Test
    void aJsonObjectRequestGetsAnObjectOrAnError() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("k");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("k", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            ChatRequest object = REQUEST.withResponseFormat(ResponseFormat.JSON_OBJECT);
            ChatBackend ds = new OpenAiCompatibleClient(RemoteConfig.of("deepseek", deepseek.baseUri(), "k")
                    .withRetry(RetryPolicy.none()));
            deepseek.enqueue(FakeReply.text("[1, 2]"), FakeReply.text("{\"a\": 1}"));
            assertThat(new FallbackChain(p -> ds).execute(object, decision(), null).response().content())
                    .isEqualTo("{\"a\": 1}");
            assertThat(deepseek.lastRequest().body()).contains("does not match");
        }
    }

    private static RouteDecision decision() {
        RouteDecision d = Router.fromEnvironment(Map.of("LLM_STRATEGY", "claude_only", "ANTHROPIC_API_KEY", "k",
                "DEEPSEEK_API_KEY", "k")).explain(REQUEST);
        assertThat(d.chain()).hasSizeGreaterThanOrEqualTo(2);
        return d;
    }

    private static FallbackChain chain(FakeAnthropicServer claude, FakeOpenAiServer deepseek) {
        ChatBackend c = new AnthropicClient(RemoteConfig.of("anthropic", claude.baseUri(), "k").withRetry(RetryPolicy.none()));
        ChatBackend ds = new OpenAiCompatibleClient(RemoteConfig.of("deepseek", deepseek.baseUri(), "k")
                .withRetry(RetryPolicy.none()));
        return new FallbackChain(p -> p.provider().equals("anthropic") ? c : ds);
    }
}
