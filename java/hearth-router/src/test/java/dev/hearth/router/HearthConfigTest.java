package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Tool;
import dev.hearth.onnx.OnnxChatBackend;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.onnx.TinyDecoder;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HearthConfigTest {
    @TempDir
    Path dir;

    static final ChatRequest CODE = ChatRequest.of("auto", List.of(ChatMessage.user("Refactor this Java method to"
            + " remove the recursion.")));

    Path write(String toml) throws IOException {
        Path p = dir.resolve("hearth.toml");
        Files.writeString(p, toml);
        return p;
    }

    static final String CONFIG = """
            strategy = "hybrid"
            monthly_budget_usd = 50
            local_model = "qwen2.5-1.5b-instruct"

            [[model]]
            id = "vllm-coder"
            provider = "vllm"
            base_url = "%s"
            model = "Qwen/Qwen2.5-Coder-32B-Instruct"
            strengths = ["code"]
            quality = 0.85
            context = 32768

            [defaults]
            code = "vllm-coder"

            [fallbacks]
            "vllm-coder" = ["deepseek-flash", "qwen2.5-1.5b-instruct"]

            [agents]
            librarian = "deepseek-flash"
            debugger = "code"
            """;

    @Test
    void theFileAddsModelsDefaultsFallbacksAndAgentsAndTheEnvironmentWins() throws Exception {
        Path file = write(CONFIG.formatted("http://127.0.0.1:9/v1"));
        Router router = Router.fromConfig(file, Map.of("DEEPSEEK_API_KEY", "k"));
        RouteDecision code = router.explain(CODE);
        assertThat(code.chain()).extracting(ModelProfile::id)
                .containsExactly("vllm-coder", "deepseek-flash", "qwen2.5-1.5b-instruct");
        assertThat(code.reason()).contains("hearth.toml sends code requests to vllm-coder");
        assertThat(router.config().budget().monthlyLimit()).isEqualTo(50);
        assertThat(router.explain(CODE.withModel("agent:librarian")).chain().getFirst().id()).isEqualTo("deepseek-flash");
        RouteDecision debugger = router.explain(ChatRequest.of("agent:debugger", List.of(ChatMessage.user("Hi!"))));
        assertThat(debugger.classification().taskClass()).isEqualTo(TaskClass.CODE);
        assertThat(debugger.classification().evidence()).contains("agent debugger is code");
        Router local = Router.fromConfig(file, Map.of("LLM_STRATEGY", "local_only"));
        assertThat(local.config().strategy()).isEqualTo("local_only");
    }

    @Test
    void mistakesFailAtStartWithTheLineAndTheChoices() throws Exception {
        Path unknownModel = write(CONFIG.formatted("http://x/v1").replace("code = \"vllm-coder\"", "code = \"gpt-9\""));
        assertThatThrownBy(() -> Router.fromConfig(unknownModel, Map.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("line 15").hasMessageContaining("unknown model \"gpt-9\"")
                .hasMessageContaining("vllm-coder");
        Path unknownStrategy = write("strategy = \"fastest\"\n");
        assertThatThrownBy(() -> Router.fromConfig(unknownStrategy, Map.of()))
                .hasMessageContaining("line 1: unknown strategy \"fastest\"").hasMessageContaining("local_fallback");
        Path unknownSetting = write("\n\nstratgy = \"hybrid\"\n");
        assertThatThrownBy(() -> Router.fromConfig(unknownSetting, Map.of()))
                .hasMessageContaining("line 3: unknown setting \"stratgy\"");
        Path unknownClass = write(CONFIG.formatted("http://x/v1").replace("debugger = \"code\"", "debugger = \"codez\""));
        assertThatThrownBy(() -> Router.fromConfig(unknownClass, Map.of()))
                .hasMessageContaining("unknown model \"codez\"");
    }
}
