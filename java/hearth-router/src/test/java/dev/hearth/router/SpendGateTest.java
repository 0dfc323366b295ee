package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Usage;
import dev.hearth.remote.AnthropicClient;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.RemoteConfig;
import dev.hearth.remote.RetryPolicy;
import dev.hearth.testkit.upstream.Fault;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The chain asks the spend gate before every remote hop, and settles or fails each hold exactly once. */
class SpendGateTest {
    private static final ChatRequest REQUEST = ChatRequest.of("auto", List.of(ChatMessage.user("Plan a trip.")));

    /** Records what the chain did with its holds; refuses the providers named. */
    private static final class Recording implements SpendGate {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> refuse;

        Recording(String... refuse) {
            this.refuse = List.of(refuse);
        }

        @Override
        public Hold reserve(ModelProfile model, ChatRequest request) {
            if (refuse.contains(model.provider())) {
                events.add("refused " + model.provider());
                throw new SpendRefusedException("the monthly budget of $1.00 has $0.01 left; this call may cost $0.20");
            }
            events.add("reserved " + model.provider());
            return new Hold() {
                @Override
                public void settle(ModelProfile m, Usage usage) {
                    events.add("settled " + m.provider() + " " + usage.inputTokens() + "+" + usage.outputTokens());
                }

                @Override
                public void failed(RuntimeException e) {
                    events.add("failed " + model.provider());
                }
            };
        }
    }

    @Test
    void aRefusedReservationSendsNothingAndTheNextModelAnswers() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("k");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("k", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            deepseek.defaultReply(FakeReply.text("Go to Oslo."));
            Recording gate = new Recording("anthropic");
            var routed = chain(claude, deepseek).withSpendGate(gate).execute(REQUEST, decision(), null);
            assertThat(claude.received()).isEmpty();
            assertThat(routed.answeredBy().provider()).isEqualTo("deepseek");
            assertThat(routed.hops()).singleElement().satisfies(h -> assertThat(h.why()).startsWith("over budget"));
            assertThat(gate.events).containsExactly("refused anthropic", "reserved deepseek", "settled deepseek 12+3");
        }
    }

    @Test
    void aFailedCallReleasesItsHoldAndEachHoldEndsOnce() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("k");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("k", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            claude.enqueue(FakeReply.failing(new Fault.Status(529, Map.of(), "overloaded_error", "busy")));
            deepseek.defaultReply(FakeReply.text("Go to Oslo."));
            Recording gate = new Recording();
            chain(claude, deepseek).withSpendGate(gate).execute(REQUEST, decision(), null);
            assertThat(gate.events).containsExactly("reserved anthropic", "failed anthropic", "reserved deepseek",
                    "settled deepseek 12+3");
        }
    }

    private static RouteDecision decision() {
        return Router.fromEnvironment(Map.of("LLM_STRATEGY", "claude_only", "ANTHROPIC_API_KEY", "k",
                "DEEPSEEK_API_KEY", "k")).explain(REQUEST);
    }

    private static FallbackChain chain(FakeAnthropicServer claude, FakeOpenAiServer deepseek) {
        ChatBackend c = new AnthropicClient(RemoteConfig.of("anthropic", claude.baseUri(), "k").withRetry(RetryPolicy.none()));
        ChatBackend ds = new OpenAiCompatibleClient(RemoteConfig.of("deepseek", deepseek.baseUri(), "k")
                .withRetry(RetryPolicy.none()));
        return new FallbackChain(p -> p.provider().equals("anthropic") ? c : ds);
    }
}
