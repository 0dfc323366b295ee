package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import dev.hearth.onnx.OnnxChatBackend;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.ModelProfile;
import dev.hearth.router.RouteDecision;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.onnx.TinyDecoder;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models a hearth.toml declares, reached through the facade. */
class ConfiguredModelsTest {
    @TempDir
    Path dir;

    private static final ChatRequest CODE = ChatRequest.of("auto", List.of(ChatMessage.user("Refactor this Java method"
            + " to remove the recursion.")));

    /** A server the file declares, which code requests go to. */
    private static final String CONFIG = """
            strategy = "hybrid"
            [[model]]
            id = "vllm-coder"
            provider = "vllm"
            base_url = "%s"
            api_key_env = "VLLM_API_KEY"
            model = "Qwen/Qwen2.5-Coder-32B-Instruct"
            strengths = ["code"]
            [defaults]
            code = "vllm-coder"
            """;

    Path write(String toml) throws IOException {
        Path p = dir.resolve("hearth.toml");
        Files.writeString(p, toml);
        return p;
    }

    @Test
    void theFacadeReachesAServerTheFileDeclares() throws Exception {
        try (FakeOpenAiServer vllm = new FakeOpenAiServer("vllm-key", FakeOpenAiServer.Flavor.OPENAI)) {
            vllm.enqueue(FakeReply.text("def walk(node): ..."));
            Path file = write(CONFIG.formatted(vllm.baseUri().resolve("/v1")));
            try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", file.toString(),
                    "VLLM_API_KEY", "vllm-key", "HEARTH_ALLOW_EXTERNAL", "true"))) {
                FallbackChain.Routed r = hearth.chat(CODE);
                assertThat(r.answeredBy().id()).isEqualTo("vllm-coder");
                assertThat(r.response().content()).isEqualTo("def walk(node): ...");
                assertThat(r.labels()).containsExactly("code answer: review and test it before running it",
                        "sent to vllm (Qwen/Qwen2.5-Coder-32B-Instruct)");
                assertThat(vllm.lastRequest().json().path("model").asText()).isEqualTo("Qwen/Qwen2.5-Coder-32B-Instruct");
            }
        }
    }

    @Test
    void anOnnxModelTheFileDeclaresAnswersLocallyAndIsNeverOfferedTools() throws Exception {
        Path model = new TinyDecoder(2).writeChatModel(dir.resolve("tiny-onnx"));
        Path file = write("""
                strategy = "local_only"

                [[model]]
                id = "tiny-onnx"
                provider = "onnx"
                model = "%s"
                strengths = ["quick_response", "general"]
                quality = 0.6
                """.formatted(model));
        ChatRequest ask = ChatRequest.of("auto", List.of(ChatMessage.user("w3 w7"))).withTemperature(0.0).withMaxTokens(6);
        String direct;
        try (OnnxChatBackend alone = OnnxChatBackend.fromDirectory("tiny-onnx", model, Optional.empty(), 1)) {
            direct = alone.chat(ask).content();
        }
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", file.toString()))) {
            ModelProfile profile = hearth.router().registry().find("tiny-onnx").orElseThrow();
            assertThat(profile.local()).isTrue();
            assertThat(profile.tools()).isFalse();
            assertThat(profile.jsonSchema()).isFalse();
            FallbackChain.Routed r = hearth.chat(ask);
            assertThat(r.answeredBy().id()).isEqualTo("tiny-onnx");
            assertThat(r.sentTo()).isEmpty();
            assertThat(r.response().content()).as("what the model says alone, whatever it is").isEqualTo(direct);
            assertThat(r.response().usage().inputTokens()).isEqualTo(7);
            assertThat(r.response().usage().outputTokens()).isBetween(1L, 6L);
            // loaded through the host like a GGUF model: on the CPU, inside the budget, idle after the answer
            assertThat(hearth.host().loaded()).singleElement().satisfies(m -> {
                assertThat(m.id()).isEqualTo("tiny-onnx");
                assertThat(m.placement().device()).isEqualTo("cpu");
                assertThat(m.leases()).isZero();
            });
            RouteDecision tools = hearth.explain(ask.withTools(List.of(new Tool("look", "look up", null)), ToolChoice.AUTO));
            assertThat(tools.chain()).extracting(ModelProfile::id).doesNotContain("tiny-onnx");
        }
        // a layout named in the file wins over the model's own (none here: ChatML): R1's answer is all reasoning
        Files.writeString(file, Files.readString(file) + "chat_format = \"deepseek_r1\"\n");
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", file.toString()))) {
            FallbackChain.Routed r = hearth.chat(ask);
            assertThat(r.response().content()).isEmpty();
            assertThat(r.response().reasoning()).isNotEmpty();
        }
        Files.writeString(file, Files.readString(file).replace("deepseek_r1", "mistral"));
        assertThatThrownBy(() -> Hearth.fromEnvironment(CleanEnvironment.in(dir, "HEARTH_CONFIG", file.toString())))
                .hasMessageContaining("line 9").hasMessageContaining("unknown chat_format \"mistral\"")
                .hasMessageContaining("chatml");
    }
}
