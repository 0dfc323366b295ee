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

    /** A [[model]] to put a mistake in: id on line 2, context on line 5. */
    static final String MODEL = """
            [[model]]
            id = "box"
            provider = "vllm"
            base_url = "http://127.0.0.1:9/v1"
            context = 4096
            """;

    @Test
    void misspelledKeysAndSectionsAndValuesOfTheWrongTypeAreRefusedWithTheLineAndTheChoices() throws Exception {
        record Case(String toml, String line, String what, String valid) {
        }
        List<Case> cases = List.of(
                new Case(MODEL.replace("context", "contxt"), "line 5", "[[model]] \"box\": unknown key \"contxt\"",
                        "context"),
                new Case(MODEL + "\n[defualts]\ncode = \"box\"\n", "line 7", "unknown section [defualts]",
                        "[defaults]"),
                new Case(MODEL.replace("4096", "\"big\""), "line 5", "context must be a whole number", ""),
                new Case(MODEL.replace("4096", "4096.5"), "line 5", "context must be a whole number", ""),
                new Case(MODEL + "quality = \"high\"\n", "line 6", "quality must be a number", ""),
                new Case(MODEL + "tools = \"no\"\n", "line 6", "tools must be true or false", ""),
                new Case(MODEL + "strengths = \"code\"\n", "line 6", "strengths must be a list of strings", ""),
                new Case("allow_external = \"yes\"\n", "line 1", "allow_external must be true or false", ""),
                new Case("\nmonthly_budget_usd = \"50\"\n", "line 2", "monthly_budget_usd must be a number", ""),
                new Case("privacy = \"mask\"\n", "line 1", "unknown privacy \"mask\"", "refuse"),
                new Case(MODEL.replace("[[model]]", "[model]"), "line 1", "[[model]] tables (two brackets)", ""),
                new Case(MODEL + "\n[[model]]\nid = \"box\"\nprovider = \"vllm\"\n", "", "two [[model]]s have the id"
                        + " \"box\"", ""),
                new Case(MODEL + "\n[fallbacks]\nbox = \"local\"\n", "line 8", "[fallbacks] box must be a list of"
                        + " strings", ""),
                new Case(MODEL.replace("http://127.0.0.1:9/v1", "ftp://files.internal"), "line 4",
                        "base_url must be an http:// or https:// URL", ""),
                new Case(MODEL + "api_key_env = \"sk-live-3f9a8b7c6d\"\n", "line 6",
                        "api_key_env is the name of the environment variable", ""),
                new Case(MODEL.replace("base_url = \"http://127.0.0.1:9/v1\"", "api_key_env = \"BOX_KEY\""),
                        "line 4", "api_key_env needs a base_url in the same [[model]]", ""));
        for (Case c : cases) {
            Path file = write(c.toml());
            assertThatThrownBy(() -> Router.fromConfig(file, Map.of())).as(c.toml()).isInstanceOf(IOException.class)
                    .hasMessageContaining(file + " " + c.line()).hasMessageContaining(c.what())
                    .hasMessageContaining(c.valid()).message().doesNotContain("sk-live-3f9a8b7c6d");
        }
    }

    @Test
    void aBaseUrlAndItsKeyBelongToTheirModelAloneNeverToItsProvider() throws Exception {
        Path file = write("""
                [[model]]
                id = "proxy"
                provider = "deepseek"
                model = "deepseek-flash"
                base_url = "http://127.0.0.1:9/v1/"
                api_key_env = "PROXY_KEY"

                [[model]]
                id = "open-box"
                provider = "vllm"
                base_url = "http://127.0.0.1:10"
                """);
        // the built-in DeepSeek models need DeepSeek's key, whatever another deepseek model is given
        Router withoutKeys = Router.fromConfig(file, Map.of("LLM_STRATEGY", "remote_only"));
        ModelRegistry registry = withoutKeys.registry();
        assertThat(registry.isAvailable(registry.find("deepseek-flash").orElseThrow())).isFalse();
        assertThat(registry.isAvailable(registry.find("proxy").orElseThrow())).as("PROXY_KEY unset").isFalse();
        assertThat(registry.isAvailable(registry.find("open-box").orElseThrow())).as("needs no key").isTrue();
        RouteDecision proxy = withoutKeys.explain(CODE.withModel("proxy"));
        assertThat(proxy).isInstanceOf(RouteDecision.Reject.class);
        assertThat(proxy.reason()).contains("set PROXY_KEY");
        Router withKey = Router.fromConfig(file, Map.of("PROXY_KEY", "k"));
        assertThat(withKey.registry().isAvailable(withKey.registry().find("proxy").orElseThrow())).isTrue();
        assertThat(withKey.registry().isAvailable(withKey.registry().find("deepseek-flash").orElseThrow())).isFalse();
    }

    @Test
    void budgetsPerScopeAndPeriodAreReadAndEachMistakeNamesItsLine() throws IOException {
        HearthConfig c = HearthConfig.load(write("""
                [[budget]]
                scope = "provider"
                name = "anthropic"
                period = "day"
                limit_usd = 5
                soft_usd = 4.5

                [[budget]]
                scope = "global"
                limit_usd = 100
                """));
        assertThat(c.budgets()).containsExactly(
                new HearthConfig.BudgetLine("provider", "anthropic", "day", new java.math.BigDecimal("5"),
                        new java.math.BigDecimal("4.5")),
                new HearthConfig.BudgetLine("global", "*", "month", new java.math.BigDecimal("100"), null));

        assertThatThrownBy(() -> HearthConfig.load(write("""
                [[budget]]
                scope = "team"
                name = "x"
                limit_usd = 1
                """))).hasMessageContaining("line 2").hasMessageContaining("scope must be one of");
        assertThatThrownBy(() -> HearthConfig.load(write("""
                [[budget]]
                scope = "agent"
                limit_usd = 1
                """))).hasMessageContaining("line 2").hasMessageContaining("needs the agent's name");
        assertThatThrownBy(() -> HearthConfig.load(write("""
                [[budget]]
                scope = "model"
                name = "m"
                limit_usd = 1
                soft_usd = 2
                """))).hasMessageContaining("line 5").hasMessageContaining("soft_usd must be between 0 and limit_usd");
        assertThatThrownBy(() -> HearthConfig.load(write("""
                [[budget]]
                scope = "model"
                name = "m"
                limit = 1
                """))).hasMessageContaining("line 4").hasMessageContaining("unknown key \"limit\"");
        assertThatThrownBy(() -> HearthConfig.load(write("""
                [[budget]]
                scope = "model"
                name = "m"
                period = "week"
                limit_usd = 1
                """))).hasMessageContaining("line 4").hasMessageContaining("day or month");
    }
}
