package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.ledger.TraceEvent;
import dev.hearth.router.FallbackChain;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hearth.toml's [tournament] on the Java API: Hearth.chat answers a critical agent's request by a tournament. */
class TournamentTriggerTest {
    @TempDir
    Path dir;
    private FakeAnthropicServer claude;
    private FakeOpenAiServer deepseek;
    private Hearth hearth;

    @BeforeEach
    void start() throws Exception {
        claude = new FakeAnthropicServer("ck");
        deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK);
        claude.defaultReply(FakeReply.text("The capital of France is Paris."));
        deepseek.defaultReply(FakeReply.text("The capital of France is Paris."));
        Path file = Files.writeString(dir.resolve("hearth.toml"), """
                [agents]
                auditor = "math"
                helper = "general"
                [tournament]
                critical = ["auditor"]
                models = ["claude-sonnet-4-6", "deepseek-flash"]
                """);
        hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", file.toString(),
                "LOCAL_LLM_ENABLED", "false",
                "ANTHROPIC_API_KEY", "ck", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                "DEEPSEEK_API_KEY", "dk", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString()));
    }

    @AfterEach
    void stop() throws Exception {
        hearth.close();
        claude.close();
        deepseek.close();
    }

    private static ChatRequest ask(String model) {
        return ChatRequest.of(model, List.of(ChatMessage.user("What is the capital of France?"))).withMaxTokens(32);
    }

    @Test
    void chatWithACriticalAgentIsAnsweredByATournamentOfTheConfiguredModels() throws Exception {
        FallbackChain.Routed r = hearth.chat(ask("agent:auditor"));
        assertThat(r.response().content()).isEqualTo("The capital of France is Paris.");
        assertThat(claude.received()).as("each configured model is asked once").hasSize(1);
        assertThat(deepseek.received()).hasSize(1);
        assertThat(r.answeredBy().id()).isIn("claude-sonnet-4-6", "deepseek-flash");
        hearth.flushCalls();
        assertThat(hearth.ledger().events(r.callId())).extracting(TraceEvent::name).contains(Tournament.EVENT);
    }

    @Test
    void chatWithAnAgentTheFileDoesNotMarkCriticalAsksOneModel() throws Exception {
        FallbackChain.Routed r = hearth.chat(ask("agent:helper"), CallOptions.DEFAULT);
        assertThat(claude.received().size() + deepseek.received().size()).isEqualTo(1);
        hearth.flushCalls();
        assertThat(hearth.ledger().events(r.callId())).extracting(TraceEvent::name).doesNotContain(Tournament.EVENT);
    }

    @Test
    void aModelTheCallerNamesIsAnsweredAloneWhenTheFileAsksATournament() throws Exception {
        hearth.chat(ask("deepseek-flash"));
        assertThat(deepseek.received()).hasSize(1);
        assertThat(claude.received()).isEmpty();
    }
}
