package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hearth tournament, run in process against two fake vendors. */
class TournamentCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Map<String, String> env(FakeAnthropicServer claude, FakeOpenAiServer deepseek) {
        return CleanEnvironment.in(dir, "LOCAL_LLM_ENABLED", "false",
                "ANTHROPIC_API_KEY", "ck", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                "DEEPSEEK_API_KEY", "dk", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString());
    }

    @Test
    void jsonSaysTheVerdictTheAgreementTheAnswerAndEachCandidate() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            claude.defaultReply(FakeReply.text("The capital of France is Paris."));
            deepseek.defaultReply(FakeReply.text("The capital of France is Paris."));
            Cli.Outcome out = Cli.run(env(claude, deepseek), "tournament", "--models",
                    "claude-sonnet-4-6,deepseek-flash", "--json", "What is the capital of France?");
            assertThat(out.code()).as(out.err()).isZero();
            JsonNode r = JSON.readTree(out.out());
            assertThat(r.path("verdict").asText()).isEqualTo("consensus");
            assertThat(r.path("answer").asText()).isEqualTo("The capital of France is Paris.");
            assertThat(r.path("agreement")).hasSize(2);
            assertThat(r.path("agreement").get(0).get(1).asDouble()).isGreaterThanOrEqualTo(0.85);
            assertThat(r.path("candidates")).hasSize(2).allSatisfy(c -> {
                assertThat(c.path("model").isTextual()).isTrue();
                assertThat(c.path("answer").asText()).isEqualTo("The capital of France is Paris.");
                assertThat(c.path("cost_usd").isNumber()).as(c.toString()).isTrue();
                assertThat(c.path("latency_ms").isIntegralNumber()).isTrue();
            });
            assertThat(r.path("candidates").get(0).path("model").asText()).isEqualTo("claude-sonnet-4-6");
            assertThat(r.path("candidates").get(0).path("cost_usd").decimalValue()).isPositive();
        }
    }

    @Test
    void aDisputeExitsThreeAndSaysSo() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            claude.defaultReply(FakeReply.text("The capital of France is Paris."));
            deepseek.defaultReply(FakeReply.text("Bananas are rich in potassium and grow in tropical climates."));
            Cli.Outcome out = Cli.run(env(claude, deepseek), "tournament", "--models",
                    "claude-sonnet-4-6,deepseek-flash", "What is the capital of France?");
            assertThat(out.code()).as(out.err()).isEqualTo(TournamentCommand.DISPUTE);
            assertThat(out.out()).contains("verdict:  dispute", "claude-sonnet-4-6", "deepseek-flash");
        }
    }

    @Test
    void aBadUntilAgreeIsAUsageErrorThatSaysWhatFits() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            Cli.Outcome out = Cli.run(env(claude, deepseek), "tournament", "--models",
                    "claude-sonnet-4-6,deepseek-flash", "--until-agree", "5", "hi");
            assertThat(out.code()).isEqualTo(2);
            assertThat(out.err()).contains("until_agree must be between 2 and the number of models (2)");
            assertThat(claude.received()).isEmpty();
        }
    }

    @Test
    void chatWithAnAgentHearthTomlMarksCriticalIsAnsweredByATournament() throws Exception {
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK)) {
            claude.defaultReply(FakeReply.text("The capital of France is Paris."));
            deepseek.defaultReply(FakeReply.text("Bananas are rich in potassium and grow in tropical climates."));
            Path file = java.nio.file.Files.writeString(dir.resolve("hearth.toml"), """
                    [agents]
                    auditor = "math"
                    [tournament]
                    critical = ["auditor"]
                    models = ["claude-sonnet-4-6", "deepseek-flash"]
                    """);
            Map<String, String> env = new java.util.HashMap<>(env(claude, deepseek));
            env.put("HEARTH_CONFIG", file.toString());
            Cli.Outcome out = Cli.run(env, "chat", "--model", "agent:auditor", "What is the capital of France?");
            assertThat(out.code()).as(out.err()).isZero();
            assertThat(claude.received()).hasSize(1);
            assertThat(deepseek.received()).hasSize(1);
            assertThat(out.err()).contains("[tournament (hearth.toml marks this request critical): dispute of 2");
            assertThat(out.out().strip()).isIn("The capital of France is Paris.",
                    "Bananas are rich in potassium and grow in tropical climates.");
        }
    }
}
