package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.ResponseFormat;
import dev.hearth.ledger.Budget;
import dev.hearth.ledger.BudgetStatus;
import dev.hearth.ledger.TraceEvent;
import dev.hearth.router.SpendRefusedException;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.upstream.Fault;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tournaments through the front door, with three remote voices scripted: Claude, DeepSeek and a vLLM server that
 * hearth.toml declares (each its own fake, so each answers what its test says).
 */
class TournamentTest {
    private static final List<String> THREE = List.of("claude-sonnet-4-6", "deepseek-flash", "vllm-judge");
    private static final ChatRequest ASK = ChatRequest.of("auto", List.of(ChatMessage.user(
            "What is the capital of France?"))).withMaxTokens(64);

    @TempDir
    Path dir;
    private FakeAnthropicServer claude;
    private FakeOpenAiServer deepseek;
    private FakeOpenAiServer vllm;

    @BeforeEach
    void vendors() throws Exception {
        claude = new FakeAnthropicServer("ck");
        deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK);
        vllm = new FakeOpenAiServer("vk", FakeOpenAiServer.Flavor.OPENAI);
    }

    @AfterEach
    void close() throws Exception {
        claude.close();
        deepseek.close();
        vllm.close();
    }

    private Hearth hearth(String... more) throws Exception {
        Path file = dir.resolve("hearth.toml");
        Files.writeString(file, """
                allow_external = true
                [[model]]
                id = "vllm-judge"
                provider = "vllm"
                model = "Qwen/Qwen2.5-32B-Instruct"
                base_url = "%s"
                api_key_env = "VLLM_API_KEY"
                """.formatted(vllm.baseUri().resolve("/v1")));
        Map<String, String> env = new java.util.HashMap<>(CleanEnvironment.in(dir, "HEARTH_CONFIG", file.toString(),
                "LOCAL_LLM_ENABLED", "false", "VLLM_API_KEY", "vk",
                "ANTHROPIC_API_KEY", "ck", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                "DEEPSEEK_API_KEY", "dk", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString()));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return Hearth.fromEnvironment(env);
    }

    private static TournamentOptions three() {
        return TournamentOptions.defaults().withModels(THREE);
    }

    @Test
    void threeModelsThatAgreeAreAConsensusAndEachIsACallInTheLedger() throws Exception {
        claude.defaultReply(FakeReply.text("The capital of France is Paris."));
        deepseek.defaultReply(FakeReply.text("The capital of France is Paris."));
        vllm.defaultReply(FakeReply.text("Paris is the capital of France."));
        try (Hearth hearth = hearth()) {
            TournamentResult r = hearth.tournament(ASK, three());
            assertThat(r.verdict()).isEqualTo(TournamentResult.Verdict.CONSENSUS);
            assertThat(r.candidates()).extracting(TournamentResult.Candidate::model).containsExactlyElementsOf(THREE);
            assertThat(r.candidates()).allSatisfy(c -> {
                assertThat(c.answered()).isTrue();
                assertThat(c.callId()).isNotNull();
                assertThat(hearth.ledger().call(c.callId()).orElseThrow().model()).isEqualTo(c.model());
                assertThat(hearth.ledger().events(c.callId())).extracting(TraceEvent::name).contains(Tournament.EVENT);
            });
            assertThat(r.candidates().getFirst().costUsd()).isPositive();
            assertThat(r.agreement()).hasSize(3).allSatisfy(row -> assertThat(row).hasSize(3)
                    .allSatisfy(s -> assertThat(s).isGreaterThanOrEqualTo(TournamentOptions.DEFAULT_THRESHOLD)));
            assertThat(r.basis()).contains("cosine", "0.85");
            assertThat(r.answer()).contains("Paris");
            assertThat(List.of(claude.received(), deepseek.received(), vllm.received())).allSatisfy(
                    got -> assertThat(got).hasSize(1));
        }
    }

    @Test
    void twoAgainstOneIsAMajorityAndTheMajoritysAnswerIsReturned() throws Exception {
        claude.defaultReply(FakeReply.text("The capital of France is Paris."));
        deepseek.defaultReply(FakeReply.text("Bananas are rich in potassium and grow in tropical climates."));
        vllm.defaultReply(FakeReply.text("The capital of France is Paris."));
        try (Hearth hearth = hearth()) {
            TournamentResult r = hearth.tournament(ASK, three());
            assertThat(r.verdict()).isEqualTo(TournamentResult.Verdict.MAJORITY);
            assertThat(r.winner().orElseThrow().model()).isIn("claude-sonnet-4-6", "vllm-judge");
            assertThat(r.answer()).isEqualTo("The capital of France is Paris.");
            assertThat(r.agreement().get(0).get(1)).isLessThan(TournamentOptions.DEFAULT_THRESHOLD);
            assertThat(r.agreement().get(0).get(2)).isGreaterThanOrEqualTo(TournamentOptions.DEFAULT_THRESHOLD);
        }
    }

    @Test
    void answersThatShareNothingAreADispute() throws Exception {
        claude.defaultReply(FakeReply.text("The capital of France is Paris."));
        deepseek.defaultReply(FakeReply.text("Bananas are rich in potassium and grow in tropical climates."));
        vllm.defaultReply(FakeReply.text("The compiler rejected the generic method because of type erasure."));
        try (Hearth hearth = hearth()) {
            TournamentResult r = hearth.tournament(ASK, three());
            assertThat(r.verdict()).isEqualTo(TournamentResult.Verdict.DISPUTE);
            assertThat(r.candidates()).allSatisfy(c -> assertThat(c.answered()).isTrue());
        }
    }

    @Test
    void aVendorThatFailsIsInTheResultAndTheRestStillDecide() throws Exception {
        claude.defaultReply(FakeReply.text("The capital of France is Paris."));
        deepseek.defaultReply(FakeReply.failing(new Fault.Status(500, Map.of(), "api_error", "down")));
        vllm.defaultReply(FakeReply.text("The capital of France is Paris."));
        try (Hearth hearth = hearth()) {
            TournamentResult r = hearth.tournament(ASK, three());
            assertThat(r.verdict()).as("two of three agree; the third failed").isEqualTo(
                    TournamentResult.Verdict.MAJORITY);
            TournamentResult.Candidate failed = r.candidates().get(1);
            assertThat(failed.model()).isEqualTo("deepseek-flash");
            assertThat(failed.answered()).isFalse();
            assertThat(failed.error()).isNotBlank();
            assertThat(r.agreement().get(1)).containsOnly(0.0);
            assertThat(r.answer()).isEqualTo("The capital of France is Paris.");
            assertThat(hearth.ledger().recentCalls(10)).extracting(c -> c.outcome()).contains("ok")
                    .anySatisfy(o -> assertThat(o).isNotEqualTo("ok"));
        }
    }

    @Test
    void aBudgetTooSmallForAllOfThemRefusesTheTournamentBeforeAnythingIsSent() throws Exception {
        claude.defaultReply(FakeReply.text("4"));
        deepseek.defaultReply(FakeReply.text("4"));
        try (Hearth hearth = hearth()) {
            ChatRequest ask = ChatRequest.of("auto", List.of(ChatMessage.user("What is 2+2?"))).withMaxTokens(1000);
            // each alone fits (Claude's worst case is about $0.015), all three together do not
            hearth.ledger().setBudget(Budget.of(Budget.Scope.GLOBAL, Budget.Period.MONTH, new BigDecimal("0.016")));
            assertThatThrownBy(() -> hearth.tournament(ask, TournamentOptions.defaults().withModels(List.of(
                    "claude-sonnet-4-6", "deepseek-flash", "deepseek-v4-pro"))))
                    .isInstanceOf(SpendRefusedException.class)
                    .hasMessageContaining("a tournament of 3 models needs up to $")
                    .hasMessageContaining("limit $0.016")
                    .hasMessageContaining("nothing was sent");
            assertThat(claude.received()).isEmpty();
            assertThat(deepseek.received()).isEmpty();
            assertThat(hearth.ledger().budgets()).extracting(BudgetStatus::reservedUsd)
                    .allSatisfy(held -> assertThat(held).as("every hold released").isZero());
        }
    }

    @Test
    void structuredAnswersAgreeFieldByFieldWithNumbersByValue() throws Exception {
        claude.defaultReply(FakeReply.text("{\"answer\": 1.0, \"unit\": \" Metres\"}"));
        deepseek.defaultReply(FakeReply.text("{\"answer\": 1, \"unit\": \"metres\"}"));
        vllm.defaultReply(FakeReply.text("{\"answer\": 2, \"unit\": \"metres\"}"));
        ChatRequest ask = ChatRequest.of("auto", List.of(ChatMessage.user("How long is the rod?"))).withMaxTokens(64)
                .withResponseFormat(new ResponseFormat.JsonSchema("length", """
                        {"type":"object","properties":{"answer":{"type":"number"},"unit":{"type":"string"}},
                         "required":["answer","unit"]}""", false));
        try (Hearth hearth = hearth()) {
            TournamentResult r = hearth.tournament(ask, three());
            assertThat(r.basis()).startsWith("structured");
            assertThat(r.verdict()).isEqualTo(TournamentResult.Verdict.MAJORITY);
            assertThat(r.agreement().get(0).get(1)).as("1.0 and 1, \" Metres\" and \"metres\"").isEqualTo(1.0);
            assertThat(r.agreement().get(1).get(2)).as("the unit agrees, the answer does not").isEqualTo(0.5);
            assertThat(r.winner().orElseThrow().model()).isIn("claude-sonnet-4-6", "deepseek-flash");
        }
    }

    @Test
    void untilAgreeAsksTheCheapestFirstAndStopsOnceEnoughAgree() throws Exception {
        claude.defaultReply(FakeReply.text("The capital of France is Paris."));
        deepseek.defaultReply(FakeReply.text("The capital of France is Paris."));
        vllm.defaultReply(FakeReply.text("The capital of France is Paris."));
        try (Hearth hearth = hearth()) {
            TournamentResult r = hearth.tournament(ASK, three().withUntilAgree(2));
            assertThat(claude.received()).as("the dearest was never asked").isEmpty();
            assertThat(r.candidates()).extracting(TournamentResult.Candidate::model)
                    .containsExactlyInAnyOrder("vllm-judge", "deepseek-flash");
            assertThat(r.early().skipped()).containsExactly("claude-sonnet-4-6");
            assertThat(r.early().savedUsd()).isPositive();
            String call = r.candidates().getFirst().callId();
            assertThat(hearth.ledger().events(call)).filteredOn(e -> e.name().equals(Tournament.EVENT))
                    .singleElement().satisfies(e -> assertThat(e.attributes())
                            .containsEntry("hearth.tournament.skipped", "claude-sonnet-4-6")
                            .containsEntry("hearth.tournament.saved_usd", r.early().savedUsd().toPlainString()));
        }
    }

    @Test
    void untilAgreeAsksMoreWhenTheFirstWaveDisagrees() throws Exception {
        claude.defaultReply(FakeReply.text("The capital of France is Paris."));
        deepseek.defaultReply(FakeReply.text("Bananas are rich in potassium and grow in tropical climates."));
        vllm.defaultReply(FakeReply.text("The capital of France is Paris."));
        try (Hearth hearth = hearth()) {
            TournamentResult r = hearth.tournament(ASK, three().withUntilAgree(2));
            assertThat(claude.received()).hasSize(1);
            assertThat(r.early().skipped()).isEmpty();
            assertThat(r.verdict()).isEqualTo(TournamentResult.Verdict.MAJORITY);
        }
    }

    @Test
    void withoutAListTheModelsAreChosenFromDifferentProvidersFirst() throws Exception {
        claude.defaultReply(FakeReply.text("The capital of France is Paris."));
        deepseek.defaultReply(FakeReply.text("The capital of France is Paris."));
        vllm.defaultReply(FakeReply.text("The capital of France is Paris."));
        try (Hearth hearth = hearth()) {
            TournamentResult r = hearth.tournament(ASK, TournamentOptions.defaults());
            assertThat(r.candidates()).extracting(TournamentResult.Candidate::provider)
                    .containsExactlyInAnyOrder("anthropic", "deepseek", "vllm");
        }
    }

    @Test
    void aModelThatCannotBeAskedRefusesTheTournamentBeforeAnythingIsSent() throws Exception {
        try (Hearth hearth = hearth()) {
            assertThatThrownBy(() -> hearth.tournament(ASK, TournamentOptions.defaults().withModels(List.of(
                    "claude-sonnet-4-6", "no-such-model"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-model");
            assertThat(claude.received()).isEmpty();
        }
    }

    @Test
    void aLocalModelIsOneVoiceThroughTheHostAndItsCallIsInTheLedger() throws Exception {
        dev.hearth.testkit.SyntheticModel.tiny().write(dir.resolve("tiny.gguf"));
        claude.defaultReply(FakeReply.text("The capital of France is Paris."));
        deepseek.defaultReply(FakeReply.text("The capital of France is Paris."));
        try (Hearth hearth = hearth("LOCAL_LLM_ENABLED", "true", "LOCAL_MODEL_NAME", "tiny",
                "MODEL_CACHE_DIR", dir.toString())) {
            TournamentResult r = hearth.tournament(ASK, TournamentOptions.defaults().withModels(List.of(
                    "claude-sonnet-4-6", "deepseek-flash", "tiny")));
            // a synthetic model's words are random: only that it answered on this machine, for nothing, is asserted
            TournamentResult.Candidate local = r.candidates().get(2);
            assertThat(local.provider()).isEqualTo("local");
            assertThat(local.answered()).as(String.valueOf(local.error())).isTrue();
            assertThat(local.costUsd()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(hearth.ledger().call(local.callId()).orElseThrow().model()).isEqualTo("tiny");
            assertThat(r.agreement().get(0).get(1)).isGreaterThanOrEqualTo(TournamentOptions.DEFAULT_THRESHOLD);
        }
    }
}
