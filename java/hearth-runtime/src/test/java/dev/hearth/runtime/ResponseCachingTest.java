package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.EmbeddingBackend;
import dev.hearth.ledger.CallRecord;
import dev.hearth.ledger.Caller;
import dev.hearth.ledger.EntryPoint;
import dev.hearth.ledger.GenAi;
import dev.hearth.ledger.SpendReport;
import dev.hearth.ledger.TraceEvent;
import dev.hearth.router.CacheStatus;
import dev.hearth.router.FallbackChain;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.ManualClock;
import dev.hearth.testkit.RecordingSink;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import dev.hearth.testkit.upstream.Fault;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response cache through the Java API, against a fake Anthropic that counts what it receives: a deterministic
 * request is sent once however often it is asked, a non-deterministic one each time unless the caller opts in; a
 * bypass asks again; API keys do not share; answers expire, are bounded, survive a restart (the ledger's store) and
 * are recorded as hits with what they saved; {@code HEARTH_CACHE=off} turns it all off.
 */
class ResponseCachingTest {
    private static final String CLAUDE = "claude-sonnet-4-6";

    @TempDir
    Path dir;

    private FakeAnthropicServer claude;
    private final ManualClock clock = new ManualClock(Instant.now());
    private final List<Hearth> opened = new ArrayList<>();

    @BeforeEach
    void fake() throws Exception {
        claude = new FakeAnthropicServer("ck");
        claude.defaultReply(FakeReply.text("Oslo is lovely in June."));
    }

    @AfterEach
    void close() throws Exception {
        opened.forEach(Hearth::close);
        claude.close();
    }

    private Hearth hearth(String... settings) {
        Map<String, String> env = new HashMap<>(Map.of("LLM_STRATEGY", "claude_only", "ANTHROPIC_API_KEY", "ck",
                "ANTHROPIC_BASE_URL", claude.baseUri().toString()));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        Hearth h = Hearth.fromEnvironment(CleanEnvironment.in(dir, env), clock);
        opened.add(h);
        return h;
    }

    private static ChatRequest ask(String prompt) {
        return ChatRequest.of(CLAUDE, List.of(ChatMessage.user(prompt))).withMaxTokens(64);
    }

    private static ChatRequest deterministic(String prompt) {
        return ask(prompt).withTemperature(0.0);
    }

    private static FallbackChain.Routed call(Hearth h, ChatRequest request, Caller caller, CacheMode mode)
            throws InterruptedException {
        return h.stream(request, h.explain(request), null, EntryPoint.JAVA_API, caller, CallOptions.cache(mode));
    }

    @Test
    void aDeterministicRequestAskedTwiceIsSentOnceAndTheSecondIsAHitStreamedInPieces() throws Exception {
        Hearth h = hearth();
        FallbackChain.Routed first = h.chat(deterministic("Where should I go in June?"));
        assertThat(first.cache()).isEqualTo(CacheStatus.MISS);
        assertThat(first.cached()).isFalse();

        RecordingSink sink = new RecordingSink();
        List<CacheStatus> told = new ArrayList<>();
        ChatRequest again = deterministic("Where should I go in June?");
        FallbackChain.Routed second = h.stream(again, h.explain(again), sink, EntryPoint.JAVA_API, Caller.ANONYMOUS,
                CallOptions.DEFAULT.withCacheStatus(status -> {
                    assertThat(sink.content()).as("told before the answer").isEmpty();
                    told.add(status);
                }));
        assertThat(claude.received()).as("the model was called once").hasSize(1);
        assertThat(second.cache()).isEqualTo(CacheStatus.HIT);
        assertThat(told).containsExactly(CacheStatus.HIT);
        assertThat(second.response()).isEqualTo(first.response());
        assertThat(second.answeredBy().id()).isEqualTo(CLAUDE);
        assertThat(second.sentTo()).as("nothing left the machine").isEmpty();
        assertThat(second.labels()).anySatisfy(l -> assertThat(l).startsWith("from the response cache"));
        assertThat(h.cost(second)).contains(BigDecimal.ZERO);
        assertThat(sink.content()).isEqualTo("Oslo is lovely in June.");
        assertThat(sink.contentDeltas()).as("as deltas, as a model's answer comes").hasSizeGreaterThan(1);

        // the name the request used for the model is not in the key: auto, routed to the same model, hits too
        ChatRequest viaAuto = deterministic("Where should I go in June?").withModel("auto");
        assertThat(h.explain(viaAuto).chain().getFirst().id()).isEqualTo(CLAUDE);
        assertThat(h.chat(viaAuto).cache()).isEqualTo(CacheStatus.HIT);
        // any change that can change the answer is another key
        assertThat(h.chat(deterministic("Where should I go in June?").withMaxTokens(65)).cache())
                .isEqualTo(CacheStatus.MISS);
        assertThat(h.chat(ask("Where should I go in June?").withSeed(7L)).cache()).isEqualTo(CacheStatus.MISS);
        assertThat(h.chat(ask("Where should I go in June?").withSeed(7L)).cache()).as("a seed is deterministic")
                .isEqualTo(CacheStatus.HIT);
        assertThat(claude.received()).hasSize(3);
    }

    @Test
    void aRequestThatIsNotDeterministicIsSentEachTimeUnlessTheCallerOptsIn() throws Exception {
        Hearth h = hearth();
        assertThat(h.chat(ask("Tell me a story.")).cache()).isEqualTo(CacheStatus.BYPASS);
        assertThat(h.chat(ask("Tell me a story.").withTemperature(0.7)).cache()).isEqualTo(CacheStatus.BYPASS);
        assertThat(h.chat(ask("Tell me a story.")).cache()).isEqualTo(CacheStatus.BYPASS);
        assertThat(claude.received()).hasSize(3);

        assertThat(h.chat(ask("Tell me a story."), CallOptions.cache(CacheMode.OPT_IN)).cache())
                .isEqualTo(CacheStatus.MISS);
        assertThat(h.chat(ask("Tell me a story."), CallOptions.cache(CacheMode.OPT_IN)).cache())
                .isEqualTo(CacheStatus.HIT);
        assertThat(claude.received()).hasSize(4);
    }

    @Test
    void aBypassAsksTheModelAgainAndItsAnswerReplacesTheKeptOne() throws Exception {
        Hearth h = hearth();
        h.chat(deterministic("Plan a day in Bergen."));
        claude.defaultReply(FakeReply.text("Take the Fløibanen up early."));
        FallbackChain.Routed fresh = h.chat(deterministic("Plan a day in Bergen."), CallOptions.cache(CacheMode.BYPASS));
        assertThat(fresh.cache()).isEqualTo(CacheStatus.BYPASS);
        assertThat(fresh.response().content()).isEqualTo("Take the Fløibanen up early.");
        assertThat(claude.received()).hasSize(2);
        FallbackChain.Routed next = h.chat(deterministic("Plan a day in Bergen."));
        assertThat(next.cache()).isEqualTo(CacheStatus.HIT);
        assertThat(next.response().content()).isEqualTo("Take the Fløibanen up early.");
        assertThat(claude.received()).hasSize(2);
    }

    @Test
    void twoApiKeysDoNotShareAnswersUnlessTheCacheIsShared() throws Exception {
        Hearth h = hearth();
        ChatRequest q = deterministic("Summarise our Q3 plan.");
        assertThat(call(h, q, new Caller("team-a", null, null), CacheMode.DEFAULT).cache()).isEqualTo(CacheStatus.MISS);
        assertThat(call(h, q, new Caller("team-b", null, null), CacheMode.DEFAULT).cache()).isEqualTo(CacheStatus.MISS);
        assertThat(call(h, q, new Caller("team-a", "bot", "u1"), CacheMode.DEFAULT).cache())
                .as("the key decides, not the agent or user").isEqualTo(CacheStatus.HIT);
        assertThat(call(h, q, Caller.ANONYMOUS, CacheMode.DEFAULT).cache()).isEqualTo(CacheStatus.MISS);
        assertThat(claude.received()).hasSize(3);

        Hearth shared = hearth("HEARTH_CACHE_SHARED", "true", "HEARTH_LEDGER_PATH", dir.resolve("shared.db").toString());
        call(shared, q, new Caller("team-a", null, null), CacheMode.DEFAULT);
        assertThat(call(shared, q, new Caller("team-b", null, null), CacheMode.DEFAULT).cache())
                .isEqualTo(CacheStatus.HIT);
        assertThat(claude.received()).hasSize(4);
    }

    @Test
    void anAnswerExpiresAfterItsTimeToLive() throws Exception {
        Hearth h = hearth("HEARTH_CACHE_TTL_SECONDS", "60");
        h.chat(deterministic("What is on today?"));
        clock.advance(Duration.ofSeconds(59));
        assertThat(h.chat(deterministic("What is on today?")).cache()).isEqualTo(CacheStatus.HIT);
        clock.advance(Duration.ofSeconds(1));
        assertThat(h.chat(deterministic("What is on today?")).cache()).as("expired").isEqualTo(CacheStatus.MISS);
        assertThat(claude.received()).hasSize(2);

        Hearth hour = hearth("HEARTH_LEDGER_PATH", dir.resolve("default-ttl.db").toString());
        hour.chat(deterministic("What is on today?"));
        clock.advance(Duration.ofMinutes(59));
        assertThat(hour.chat(deterministic("What is on today?")).cache()).as("an hour by default")
                .isEqualTo(CacheStatus.HIT);
        clock.advance(Duration.ofMinutes(1));
        assertThat(hour.chat(deterministic("What is on today?")).cache()).isEqualTo(CacheStatus.MISS);
    }

    @Test
    void theBoundKeepsTheNewestAnswers() throws Exception {
        Hearth h = hearth("HEARTH_CACHE_MAX_ENTRIES", "2");
        for (String q : List.of("one", "two", "three")) {
            h.chat(deterministic(q));
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(h.chat(deterministic("three")).cache()).isEqualTo(CacheStatus.HIT);
        assertThat(h.chat(deterministic("two")).cache()).isEqualTo(CacheStatus.HIT);
        assertThat(h.chat(deterministic("one")).cache()).as("the oldest was evicted").isEqualTo(CacheStatus.MISS);
        assertThat(claude.received()).hasSize(4);
    }

    @Test
    void theLedgersCacheSurvivesARestartAndTheMemoryOneDoesNot() throws Exception {
        Hearth first = hearth();
        first.chat(deterministic("Remember me."));
        first.close();
        assertThat(hearth().chat(deterministic("Remember me.")).cache()).as("a new Hearth on the same ledger")
                .isEqualTo(CacheStatus.HIT);
        assertThat(claude.received()).hasSize(1);

        String[] memory = {"HEARTH_CACHE_STORE", "memory", "HEARTH_LEDGER_PATH", dir.resolve("m.db").toString()};
        Hearth inMemory = hearth(memory);
        inMemory.chat(deterministic("Remember me."));
        assertThat(inMemory.chat(deterministic("Remember me.")).cache()).isEqualTo(CacheStatus.HIT);
        inMemory.close();
        assertThat(hearth(memory).chat(deterministic("Remember me.")).cache()).isEqualTo(CacheStatus.MISS);
        assertThat(claude.received()).hasSize(3);
    }

    @Test
    void aHitIsInTheLedgerAsACallThatCostNothingAndSavedTheFirstCallsCost() throws Exception {
        Hearth h = hearth();
        FallbackChain.Routed first = h.chat(deterministic("Price this."));
        FallbackChain.Routed hit = h.chat(deterministic("Price this."));
        h.flushCalls();
        BigDecimal paid = h.cost(first).orElseThrow();
        assertThat(paid).isPositive();

        CallRecord original = h.ledger().call(first.callId()).orElseThrow();
        assertThat(original.cacheHits()).isZero();
        assertThat(original.costUsd()).isEqualByComparingTo(paid);
        CallRecord recorded = h.ledger().call(hit.callId()).orElseThrow();
        assertThat(recorded.outcome()).isEqualTo("ok");
        assertThat(recorded.cacheHits()).isOne();
        assertThat(recorded.costUsd()).isEqualByComparingTo("0");
        assertThat(recorded.savedUsd()).isEqualByComparingTo(paid);
        assertThat(recorded.remote()).as("nothing was sent").isFalse();
        assertThat(recorded.route()).isEqualTo("cache");
        assertThat(recorded.model()).isEqualTo(CLAUDE);
        assertThat(h.ledger().events(hit.callId())).filteredOn(e -> e.name().equals(GenAi.EVENT_CACHE_HIT))
                .singleElement().extracting(TraceEvent::attributes)
                .satisfies(a -> assertThat(a).containsEntry("hearth.cache.kind", "exact")
                        .containsKey("hearth.cache.saved_usd"));

        SpendReport month = h.ledger().spend(YearMonth.now(ZoneOffset.UTC), SpendReport.GroupBy.MODEL);
        assertThat(month.spendUsd()).isEqualByComparingTo(paid);
        assertThat(month.cacheHits()).isOne();
        assertThat(month.cacheSavedUsd()).isEqualByComparingTo(paid);
    }

    @Test
    void cacheOffSendsEveryRequestWhateverTheCallerAsks() throws Exception {
        Hearth h = hearth("HEARTH_CACHE", "off");
        for (CacheMode mode : CacheMode.values()) {
            assertThat(h.chat(deterministic("Hello."), CallOptions.cache(mode)).cache()).isEqualTo(CacheStatus.BYPASS);
        }
        assertThat(claude.received()).hasSize(CacheMode.values().length);
    }

    @Test
    void anAnswerAFallbackGaveIsNotKept() throws Exception {
        try (FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            deepseek.defaultReply(FakeReply.text("From the fallback."));
            claude.defaultReply(FakeReply.failing(new Fault.Status(529, Map.of(), "overloaded_error", "busy")));
            Hearth h = hearth("DEEPSEEK_API_KEY", "dk", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString());
            ChatRequest q = deterministic("Plan a trip.").withModel("auto");
            FallbackChain.Routed r = h.chat(q);
            assertThat(r.hops()).isNotEmpty();
            assertThat(r.cache()).isEqualTo(CacheStatus.MISS);
            assertThat(h.chat(q).cache()).as("only a first choice's own answer is kept").isEqualTo(CacheStatus.MISS);
        }
    }

    @Test
    void aLocalModelsDeterministicAnswerIsReusedWithoutTakingATurn() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("tiny.gguf"));
        Hearth h = hearth("LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME", "tiny", "MODEL_CACHE_DIR",
                dir.toString());
        ChatRequest q = ChatRequest.of("auto", List.of(ChatMessage.user("Hello"))).withMaxTokens(4)
                .withTemperature(0.0);
        FallbackChain.Routed first = h.chat(q);
        FallbackChain.Routed second = h.chat(q);
        assertThat(first.cache()).isEqualTo(CacheStatus.MISS);
        assertThat(second.cache()).isEqualTo(CacheStatus.HIT);
        assertThat(second.response().content()).isEqualTo(first.response().content());
        assertThat(second.answeredBy().local()).isTrue();
        h.flushCalls();
        CallRecord hit = h.ledger().call(second.callId()).orElseThrow();
        assertThat(hit.cacheHits()).isOne();
        assertThat(hit.savedUsd()).as("a local answer cost nothing").isEqualByComparingTo("0");
    }

    @Test
    void theSemanticCacheReusesASimilarRequestsAnswerForAnAgentThatOptsIn() throws Exception {
        String close = "What is the capital city of France?";
        String closer = "What's the capital city of France?";
        String far = "How do I bake sourdough bread at home?";
        Hearth h = hearth("HEARTH_CACHE_SEMANTIC", "faq");
        EmbeddingBackend embedder = h.embedder(null);
        List<float[]> v = embedder.embed(List.of(close, closer, far));
        assertThat(EmbeddingBackend.cosine(v.get(0), v.get(1))).as("the paraphrase is close").isGreaterThan(0.95);
        assertThat(EmbeddingBackend.cosine(v.get(0), v.get(2))).as("the other question is not").isLessThan(0.95);

        Caller faq = new Caller(null, "faq", null);
        ChatRequest base = ask(close).withTemperature(0.8); // not deterministic: the agent's opt-in caches it
        assertThat(call(h, base, faq, CacheMode.DEFAULT).cache()).isEqualTo(CacheStatus.MISS);
        FallbackChain.Routed similar = call(h, ask(closer).withTemperature(0.8), faq, CacheMode.DEFAULT);
        assertThat(similar.cache()).isEqualTo(CacheStatus.HIT);
        assertThat(call(h, ask(far).withTemperature(0.8), faq, CacheMode.DEFAULT).cache()).isEqualTo(CacheStatus.MISS);
        assertThat(claude.received()).hasSize(2);

        // another agent did not opt in; a request may, per call; a different system prompt is another partition
        assertThat(call(h, ask(closer).withTemperature(0.8), new Caller(null, "other", null), CacheMode.DEFAULT)
                .cache()).isEqualTo(CacheStatus.BYPASS);
        assertThat(call(h, ask(closer).withTemperature(0.8), Caller.ANONYMOUS, CacheMode.SEMANTIC).cache())
                .isEqualTo(CacheStatus.HIT);
        ChatRequest withSystem = ChatRequest.of(CLAUDE, List.of(ChatMessage.system("Answer in French."),
                ChatMessage.user(closer))).withMaxTokens(64);
        assertThat(call(h, withSystem, faq, CacheMode.DEFAULT).cache()).isEqualTo(CacheStatus.MISS);
        assertThat(claude.received()).hasSize(4);

        h.flushCalls();
        assertThat(h.ledger().events(similar.callId())).filteredOn(e -> e.name().equals(GenAi.EVENT_CACHE_HIT))
                .singleElement().extracting(TraceEvent::attributes)
                .satisfies(a -> assertThat(a).containsEntry("hearth.cache.kind", "semantic")
                        .containsKey("hearth.cache.similarity"));
    }

    @Test
    void badSettingsAreRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> hearth("HEARTH_CACHE", "sometimes")).hasMessageContaining("HEARTH_CACHE must be on"
                + " or off");
        assertThatThrownBy(() -> hearth("HEARTH_CACHE_TTL_SECONDS", "0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> hearth("HEARTH_CACHE_MAX_ENTRIES", "many")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> hearth("HEARTH_CACHE_STORE", "redis")).hasMessageContaining("ledger")
                .hasMessageContaining("memory");
        assertThatThrownBy(() -> hearth("HEARTH_CACHE_SIMILARITY", "1.5")).hasMessageContaining("at most 1");
    }

    @Test
    void hearthTomlSetsTheCache() throws Exception {
        Path toml = Files.writeString(dir.resolve("hearth.toml"), """
                cache = "off"
                cache_ttl_seconds = 30
                cache_semantic = "faq, triage"
                cache_similarity = 0.9
                """);
        ResponseCaching.Settings s = ResponseCaching.Settings.from(dev.hearth.router.HearthConfig.load(toml)
                .environment(Map.of()));
        assertThat(s.on()).isFalse();
        assertThat(s.ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.semanticAgents()).containsExactlyInAnyOrder("faq", "triage");
        assertThat(s.similarity()).isEqualTo(0.9);
        assertThat(ResponseCaching.Settings.from(Map.of())).isEqualTo(ResponseCaching.Settings.DEFAULTS);
    }

    @Test
    void aKeptAnswerIsGivenInPiecesThatMakeItWhole() {
        String text = "Oslo is lovely in June, and Bergen is lovelier still when the rain 🌧 stops for an hour.";
        assertThat(String.join("", ResponseCaching.pieces(text))).isEqualTo(text);
        assertThat(ResponseCaching.pieces(text)).hasSizeGreaterThan(2);
        assertThat(ResponseCaching.pieces("")).isEmpty();
    }
}
