package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatBackend;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.remote.AnthropicClient;
import dev.hearth.remote.OpenAiCompatibleClient;
import dev.hearth.remote.RemoteConfig;
import dev.hearth.remote.RetryPolicy;
import dev.hearth.testkit.ManualClock;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Circuit transitions and cool-downs with an injected clock, through the fallback chain and the fakes. */
class HealthTrackerTest {

    static final ChatRequest REQUEST = ChatRequest.of("auto", List.of(ChatMessage.user("Compare two designs in depth,"
            + " step by step: what are the trade-offs?")));

    @Test
    void failuresOpenTheCircuitItIsSkippedThenProbedAndClosedAgain() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
        HealthTracker health = new HealthTracker(clock);
        try (FakeAnthropicServer claude = new FakeAnthropicServer("k");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("k", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            FallbackChain chain = chain(claude, deepseek, health);
            Router router = Router.fromEnvironment(Map.of("LLM_STRATEGY", "claude_only", "ANTHROPIC_API_KEY", "k",
                    "DEEPSEEK_API_KEY", "k"));
            RouteDecision d = router.explain(REQUEST);
            assertThat(d.chain().getFirst().id()).isEqualTo("claude-sonnet-4-6");
            claude.defaultReply(FakeReply.failing(Fault.status(500, "api_error", "down")));
            for (int i = 0; i < 5; i++) {
                var r = chain.execute(REQUEST, d, null);
                assertThat(r.hops().getFirst().why()).isEqualTo("server error");
            }
            assertThat(health.health("claude-sonnet-4-6").state()).isEqualTo("open");
            router.watch(health);
            RouteDecision aware = router.explain(REQUEST);
            assertThat(aware.chain().getFirst().id()).isNotEqualTo("claude-sonnet-4-6");
            assertThat(aware.reason()).contains("claude-sonnet-4-6's circuit is open");
            int calls = claude.received().size();
            var skipped = chain.execute(REQUEST, d, null);
            assertThat(skipped.hops().getFirst().why()).isEqualTo("circuit open");
            assertThat(claude.received()).as("an open circuit sends nothing").hasSize(calls);
            claude.defaultReply(FakeReply.text("back again"));
            clock.advance(Duration.ofSeconds(31));
            var probe = chain.execute(REQUEST, d, null);
            assertThat(probe.answeredBy().id()).isEqualTo("claude-sonnet-4-6");
            assertThat(health.health("claude-sonnet-4-6").state()).isEqualTo("half_open");
            chain.execute(REQUEST, d, null);
            assertThat(health.health("claude-sonnet-4-6").state()).isEqualTo("closed");
        }
    }

    @Test
    void aRateLimitedModelCoolsDownForTheWaitTheVendorAskedFor() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
        HealthTracker health = new HealthTracker(clock);
        try (FakeAnthropicServer claude = new FakeAnthropicServer("k");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("k", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            FallbackChain chain = chain(claude, deepseek, health);
            RouteDecision d = Router.fromEnvironment(Map.of("LLM_STRATEGY", "claude_only", "ANTHROPIC_API_KEY", "k",
                    "DEEPSEEK_API_KEY", "k")).explain(REQUEST);
            claude.enqueue(FakeReply.failing(Fault.rateLimited("retry-after", "10")));
            assertThat(chain.execute(REQUEST, d, null).hops().getFirst().why()).isEqualTo("rate limited");
            clock.advance(Duration.ofSeconds(5));
            assertThat(chain.execute(REQUEST, d, null).hops().getFirst().why()).isEqualTo("circuit open");
            clock.advance(Duration.ofSeconds(6));
            assertThat(chain.execute(REQUEST, d, null).answeredBy().id()).isEqualTo("claude-sonnet-4-6");
        }
    }

    private static FallbackChain chain(FakeAnthropicServer claude, FakeOpenAiServer deepseek, HealthTracker health) {
        ChatBackend c = new AnthropicClient(RemoteConfig.of("anthropic", claude.baseUri(), "k").withRetry(RetryPolicy.none()));
        ChatBackend ds = new OpenAiCompatibleClient(RemoteConfig.of("deepseek", deepseek.baseUri(), "k")
                .withRetry(RetryPolicy.none()));
        return new FallbackChain(p -> p.provider().equals("anthropic") ? c : ds,
                new PrivacyGuard(PrivacyGuard.Policy.REDACT), health);
    }

    @Test
    void slowCallsOpenARemoteModelsCircuitButNotALocalOnesOnABusyMachine() {
        HealthTracker health = new HealthTracker(new ManualClock(Instant.parse("2026-11-30T12:00:00Z")));
        Router router = Router.fromEnvironment(Map.of("LLM_STRATEGY", "hybrid", "ANTHROPIC_API_KEY", "k"));
        ModelProfile remote = router.registry().find("claude-sonnet-4-6").orElseThrow();
        ModelProfile local = router.registry().all().stream().filter(ModelProfile::local).findFirst().orElseThrow();
        for (int i = 0; i < 10; i++) {
            health.success(remote, Duration.ofSeconds(60));
            health.success(local, Duration.ofSeconds(60));
        }
        assertThat(health.health(remote.id()).state()).isEqualTo("open");
        assertThat(health.health(local.id()).state()).as("a saturated CPU is not the model's fault").isEqualTo("closed");
    }
}
