package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.router.*;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade configured only by environment variables (built from scratch, run files in the test's directory), end to end. */
class HearthTest {
    @TempDir
    Path cache;

    @Test
    void theFacadeRoutesByStrategyLoadsTheLocalModelAndReachesTheVendorThroughItsBaseUrl() throws Exception {
        SyntheticModel.tiny().write(cache.resolve("tiny.gguf"));
        try (FakeAnthropicServer fake = new FakeAnthropicServer("facade-key")) {
            fake.enqueue(FakeReply.text("").withToolCalls(List.of(new ToolCall("t1", "lookup", "{\"q\":\"oslo\"}"))));
            Map<String, String> env = CleanEnvironment.in(cache, "LLM_STRATEGY", "hybrid", "LOCAL_MODEL_NAME", "tiny",
                    "MODEL_CACHE_DIR", cache.toString(), "ANTHROPIC_API_KEY", "facade-key",
                    "ANTHROPIC_BASE_URL", fake.baseUri().toString());
            try (Hearth hearth = Hearth.fromEnvironment(env)) {
                FallbackChain.Routed simple = hearth.chat(ChatRequest.of("auto",
                        List.of(ChatMessage.user("Hello!"))).withMaxTokens(6));
                assertThat(simple.answeredBy().id()).isEqualTo("tiny");
                assertThat(simple.sentTo()).isEmpty();
                // the local model came through the host, which keeps it loaded (keep-alive) inside its memory budget
                assertThat(hearth.host().loaded()).extracting(dev.hearth.host.ModelHost.LoadedModel::id)
                        .containsExactly("tiny");
                assertThat(hearth.host().loaded().getFirst().leases()).isZero();
                var tiny = hearth.router().registry().find("tiny").orElseThrow();
                assertThat(hearth.measurements().of(tiny).measured()).as("measured replaces declared").isTrue();
                assertThat(hearth.measurements().of(tiny).ttftMillis()).isPositive();
                FallbackChain.Routed tools = hearth.chat(ChatRequest.of("auto", List.of(ChatMessage.user("Find Oslo")))
                        .withTools(List.of(new Tool("lookup", "search", null)), ToolChoice.AUTO));
                assertThat(tools.sentTo()).isEqualTo("anthropic");
                assertThat(tools.response().toolCalls()).extracting(ToolCall::name).containsExactly("lookup");
                assertThat(tools.decision().reason()).contains("tool_use request goes to claude-sonnet-4-6");
                assertThat(fake.received()).hasSize(1);
                // the vendor's usage, priced by the price table, counts against the month (local answers cost nothing)
                double expected = (tools.response().usage().inputTokens() * 3.0
                        + tools.response().usage().outputTokens() * 15.0) / 1_000_000;
                assertThat(hearth.router().config().budget().spent()).isCloseTo(expected,
                        org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    @Test
    void aChatRequestsTokenCountFromTheVocabularyAloneIsWhatTheModelReadsWhenItAnswers() throws Exception {
        SyntheticModel.tiny().write(cache.resolve("tiny.gguf"));
        Map<String, String> env = CleanEnvironment.in(cache, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME", "tiny",
                "MODEL_CACHE_DIR", cache.toString());
        try (Hearth hearth = Hearth.fromEnvironment(env)) {
            ChatRequest plain = ChatRequest.of("tiny", List.of(ChatMessage.system("Be brief."),
                    ChatMessage.user("How long is this prompt, in tokens?"))).withMaxTokens(2);
            ChatRequest withTools = plain.withTools(List.of(new Tool("lookup", "search the web for a query",
                    "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}")), ToolChoice.AUTO);
            try (var tokenizer = hearth.tokenizer("tiny")) {
                int counted = tokenizer.countChat(plain);
                long read = hearth.chat(plain).response().usage().inputTokens();
                assertThat(counted).as("counted without the weights = the prompt the loaded model read").isEqualTo(read);
                // tools too (this synthetic model's ChatML template leaves them out of the prompt, as the model does)
                assertThat(tokenizer.countChat(withTools)).isEqualTo(hearth.chat(withTools).response().usage().inputTokens());
            }
        }
    }

    @Test
    void aMissingLocalModelSaysHowToGetIt() {
        Map<String, String> env = CleanEnvironment.in(cache, "LLM_STRATEGY", "local_only", "LOCAL_MODEL_NAME", "absent",
                "MODEL_CACHE_DIR", cache.toString());
        try (Hearth hearth = Hearth.fromEnvironment(env)) {
            assertThatThrownBy(() -> hearth.chat(ChatRequest.of("auto", List.of(ChatMessage.user("Hi")))))
                    .isInstanceOf(dev.hearth.api.ModelUnavailableException.class)
                    .hasMessageContaining("bin/hearth models pull absent");
        }
    }
}
