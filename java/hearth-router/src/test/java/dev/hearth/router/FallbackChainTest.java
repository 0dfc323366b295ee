package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ContextOverflowException;
import dev.hearth.api.ProviderException;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.llama.engine.EngineParams;
import dev.hearth.llama.engine.LlamaChatBackend;
import dev.hearth.llama.engine.LlamaEngine;
import dev.hearth.llama.LlamaModel;
import dev.hearth.llama.ModelParams;
import dev.hearth.remote.AnthropicClient;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.RemoteConfig;
import dev.hearth.remote.RetryPolicy;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.Fault;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decisions run end to end: the synthetic local model through its engine, the vendors as loopback fakes. */
class FallbackChainTest {
    static final String KEY = "router-test-key";
    @TempDir
    static Path dir;
    static LlamaModel model;
    static LlamaEngine engine;
    FakeAnthropicServer anthropic;
    FakeOpenAiServer deepseek;

    @BeforeAll
    static void loadLocalModel() {
        Path file = dir.resolve("tiny.gguf");
        SyntheticModel.tiny().write(file);
        model = LlamaModel.load(file, ModelParams.defaults());
        engine = LlamaEngine.start(model, EngineParams.defaults().withParallel(2).withContextSize(1024).withThreads(1));
    }

    @AfterAll
    static void close() {
        engine.close();
        model.close();
    }

    @BeforeEach
    void startFakes() throws Exception {
        anthropic = new FakeAnthropicServer(KEY);
        deepseek = new FakeOpenAiServer(KEY, FakeOpenAiServer.Flavor.DEEPSEEK);
    }

    @org.junit.jupiter.api.AfterEach
    void stopFakes() throws Exception {
        anthropic.close();
        deepseek.close();
    }

    Router router(String strategy, String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("LLM_STRATEGY", strategy, "LOCAL_MODEL_NAME", "tiny",
                "ANTHROPIC_API_KEY", KEY, "DEEPSEEK_API_KEY", KEY));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return Router.fromEnvironment(env);
    }

    FallbackChain chain() {
        ChatBackend claude = new AnthropicClient(RemoteConfig.of("anthropic", anthropic.baseUri(), KEY)
                .withRetry(RetryPolicy.none()));
        ChatBackend ds = new OpenAiCompatibleClient(RemoteConfig.of("deepseek", deepseek.baseUri(), KEY)
                .withRetry(RetryPolicy.none()));
        ChatBackend local = new LlamaChatBackend("tiny", engine);
        return new FallbackChain(p -> switch (p.provider()) {
            case "anthropic" -> claude;
            case "deepseek" -> ds;
            default -> local;
        });
    }

    static final ChatRequest SIMPLE = ChatRequest.of("auto", List.of(ChatMessage.user("Hello there!"))).withMaxTokens(8);
    static final ChatRequest TOOLS = ChatRequest.of("auto", List.of(ChatMessage.user("Weather in Oslo?")))
            .withTools(List.of(new Tool("get_weather", "weather", null)), ToolChoice.AUTO).withMaxTokens(64);

    @Test
    void aRequestAskingForMoreThanTheModelsMaxOutputIsCappedToIt() throws Exception {
        anthropic.enqueue(FakeReply.text("short"));
        ModelProfile capped = new ModelProfile("claude-capped", "anthropic", "claude-sonnet-4-6", false,
                java.util.Set.of(), java.util.Set.of(), 0.9, 200_000, true, true, 3.0, 15.0, 300);
        ChatRequest asked = ChatRequest.of("claude-capped", List.of(ChatMessage.user("Hi"))).withMaxTokens(5000);
        RouteDecision d = new RouteDecision.Remote(capped, List.of(), "test", null, 0);
        chain().execute(asked, d, null);
        assertThat(anthropic.lastRequest().json().path("max_tokens").asInt()).isEqualTo(300);
        assertThat(capped.cost(1000, capped.outputCap(5000))).as("the estimate uses the cap too")
                .isEqualTo(capped.cost(1000, 300));
    }

    @Test
    void hybridSendsAToolRequestToClaudeAndASimpleOneToTheLocalModel() throws Exception {
        anthropic.enqueue(FakeReply.text("").withToolCalls(List.of(new ToolCall("t1", "get_weather", "{\"city\":\"Oslo\"}"))));
        Router router = router("hybrid");
        FallbackChain.Routed tools = chain().execute(TOOLS, router.explain(TOOLS), null);
        assertThat(tools.answeredBy().id()).isEqualTo("claude-sonnet-4-6");
        assertThat(tools.response().toolCalls()).extracting(ToolCall::name).containsExactly("get_weather");
        FallbackChain.Routed simple = chain().execute(SIMPLE, router.explain(SIMPLE), null);
        assertThat(simple.answeredBy().id()).isEqualTo("tiny");
        assertThat(simple.response().usage().outputTokens()).isPositive();
        assertThat(simple.labels()).as("a local answer to a simple question needs no warning").isEmpty();
        assertThat(anthropic.received()).hasSize(1);
        assertThat(deepseek.received()).isEmpty();
    }

    @Test
    void anOverloadedVendorFallsBackToTheNextAndTheHopIsReported() throws Exception {
        anthropic.enqueue(FakeReply.failing(Fault.status(529, "overloaded_error", "Overloaded")));
        deepseek.enqueue(FakeReply.text("").withToolCalls(List.of(new ToolCall("c1", "get_weather", "{}"))));
        FallbackChain.Routed r = chain().execute(TOOLS, router("hybrid").explain(TOOLS), null);
        assertThat(r.answeredBy().provider()).isEqualTo("deepseek");
        assertThat(r.hops()).hasSize(1);
        assertThat(r.hops().getFirst()).isEqualTo(new FallbackChain.Hop("claude-sonnet-4-6", r.answeredBy().id(),
                "overloaded"));
    }

    @Test
    void aBadRequestStopsTheChainAndAStreamThatReachedTheCallerIsNotRetried() throws Exception {
        anthropic.enqueue(FakeReply.failing(Fault.status(400, "invalid_request_error", "tools.0: bad schema")));
        assertThatThrownBy(() -> chain().execute(TOOLS, router("hybrid").explain(TOOLS), null))
                .isInstanceOf(ProviderException.BadRequest.class).hasMessageContaining("bad schema");
        anthropic.enqueue(FakeReply.text("one two three four five").withFault(new Fault.ResetAfter(5)));
        StringBuilder seen = new StringBuilder();
        assertThatThrownBy(() -> chain().execute(TOOLS, router("hybrid").explain(TOOLS), seen::append))
                .isInstanceOf(ProviderException.StreamBroken.class);
        assertThat(seen).isNotEmpty();
        assertThat(deepseek.received()).isEmpty();
    }

    @Test
    void localFallbackGoesRemoteWhenTheLocalModelCannotAndOnlyWhenAllowed() throws Exception {
        ChatRequest tooLong = SIMPLE.withMaxTokens(900); // more than a 512-token slot of the local engine holds
        RouteDecision allowed = router("local_fallback", "HEARTH_ALLOW_EXTERNAL", "true").explain(tooLong);
        FallbackChain.Routed r = chain().execute(tooLong, allowed, null);
        assertThat(r.answeredBy().local()).isFalse();
        assertThat(r.hops().getFirst().why()).isEqualTo("the request does not fit its context");
        int before = anthropic.received().size() + deepseek.received().size();
        RouteDecision privateOnly = router("local_fallback").explain(tooLong);
        assertThatThrownBy(() -> chain().execute(tooLong, privateOnly, null))
                .isInstanceOf(ContextOverflowException.class);
        assertThat(anthropic.received().size() + deepseek.received().size()).as("nothing left the machine")
                .isEqualTo(before);
    }

    @Test
    void aRejectionIsATypedErrorWithTheReason() {
        RouteDecision d = router("remote_only", "HEARTH_ALLOW_EXTERNAL", "false").explain(SIMPLE);
        assertThatThrownBy(() -> chain().execute(SIMPLE, d, null)).isInstanceOf(RouteRejectedException.class)
                .hasMessageContaining("external providers are not allowed");
    }

    @Test
    void credentialsAreRedactedBeforeTheyLeaveAndARefusingPolicySendsNothing() throws Exception {
        String secret = "sk-ant-api03-Qk3vN9xT2bLw7YpR4mZs8HcJ1dFg6UeA0oKiWqE5rTy";
        ChatRequest leaky = ChatRequest.of("auto", List.of(ChatMessage.user("Why does my client fail with key "
                + secret + "? Analyze the trade-offs of rotating it."))).withMaxTokens(64);
        RouteDecision d = router("claude_only").explain(leaky);
        FallbackChain.Routed r = chain().execute(leaky, d, null);
        assertThat(r.privacy().action()).isEqualTo(PrivacyGuard.Policy.REDACT);
        assertThat(r.privacy().findings()).containsExactly("Anthropic API key");
        assertThat(r.sentTo()).isEqualTo("anthropic");
        assertThat(anthropic.lastRequest().body()).doesNotContain(secret).contains("[REDACTED Anthropic API key]");
        assertThat(r.labels()).contains("sent to anthropic (claude-sonnet-4-6); redacted first: Anthropic API key");
        int sent = anthropic.received().size();
        ChatBackend claude = new AnthropicClient(RemoteConfig.of("anthropic", anthropic.baseUri(), KEY));
        FallbackChain refusing = new FallbackChain(p -> claude, new PrivacyGuard(PrivacyGuard.Policy.REFUSE));
        assertThatThrownBy(() -> refusing.execute(leaky, d, null)).isInstanceOf(PrivacyRefusedException.class)
                .hasMessageContaining("nothing was sent");
        assertThat(anthropic.received()).hasSize(sent);
    }
}
