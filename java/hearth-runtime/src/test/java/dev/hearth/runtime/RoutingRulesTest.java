package dev.hearth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.router.FallbackChain;
import dev.hearth.router.ModelLocks;
import dev.hearth.router.RouteOptions;
import dev.hearth.router.RouteRejectedException;
import dev.hearth.testkit.CleanEnvironment;
import dev.hearth.testkit.ManualClock;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.upstream.FakeAnthropicServer;
import dev.hearth.testkit.upstream.FakeOpenAiServer;
import dev.hearth.testkit.upstream.FakeReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presets, licence rules and model locks through the Java API's front door, with fake vendors and a synthetic model. */
class RoutingRulesTest {
    static final ChatRequest CODE = ChatRequest.of("auto", List.of(ChatMessage.user("Write a Python function that"
            + " parses ISO dates and add a unit test."))).withMaxTokens(4);
    static final ChatRequest QUICK = ChatRequest.of("auto", List.of(ChatMessage.user("What is the capital of Peru?")))
            .withMaxTokens(4);

    @TempDir
    Path dir;

    private Hearth hybrid(FakeAnthropicServer claude, FakeOpenAiServer deepseek, String... extra) {
        Map<String, String> env = new java.util.HashMap<>(CleanEnvironment.in(dir, "LLM_STRATEGY", "hybrid",
                "LOCAL_MODEL_NAME", "tiny", "MODEL_CACHE_DIR", dir.toString(),
                "ANTHROPIC_API_KEY", "ck", "ANTHROPIC_BASE_URL", claude.baseUri().toString(),
                "DEEPSEEK_API_KEY", "dk", "DEEPSEEK_BASE_URL", deepseek.baseUri().toString()));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return Hearth.fromEnvironment(env);
    }

    @Test
    void theFastPresetSendsACodeRequestToTheModelMeasuredFastestAboveTheFloor() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("tiny.gguf"));
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK);
             Hearth hearth = hybrid(claude, deepseek)) {
            claude.defaultReply(FakeReply.text("from claude"));
            deepseek.defaultReply(FakeReply.text("from deepseek"));
            var registry = hearth.router().registry();
            hearth.measurements().record(registry.find("claude-sonnet-4-6").orElseThrow(), 1500, 10, 2000);
            hearth.measurements().record(registry.find("deepseek-flash").orElseThrow(), 100, 10, 300);
            hearth.measurements().record(registry.find("tiny").orElseThrow(), 10, 10, 50); // below the code floor
            assertThat(hearth.explain(CODE).chain().getFirst().id()).as("hybrid alone").isEqualTo("claude-sonnet-4-6");
            FallbackChain.Routed fast = hearth.chat(CODE, RouteOptions.defaults().withPreset("fast"));
            assertThat(fast.answeredBy().id()).isEqualTo("deepseek-flash");
            assertThat(fast.response().content()).isEqualTo("from deepseek");
            assertThat(fast.decision().reason()).contains("preset fast: deepseek-flash goes first instead of"
                    + " claude-sonnet-4-6");
            assertThat(claude.received()).isEmpty();

            FallbackChain.Routed cheap = hearth.chat(QUICK, RouteOptions.defaults().withPreset("cheap"));
            assertThat(cheap.answeredBy().id()).as("local first").isEqualTo("tiny");
            assertThat(deepseek.received()).hasSize(1);
        }
    }

    @Test
    void aModelWhoseFileSaysAForbiddenLicenceIsNeverChosenAndNamedIsRefusedWithTheRule() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("nc.gguf"), w -> w.putString("general.license", "cc-by-nc-4.0"));
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK);
             Hearth hearth = hybrid(claude, deepseek, "LOCAL_MODEL_NAME", "nc", "HEARTH_LICENSE_LEVEL", "open-weights")) {
            deepseek.defaultReply(FakeReply.text("from deepseek"));
            var nc = hearth.router().registry().find("nc").orElseThrow();
            assertThat(hearth.router().licences().of(nc)).as("read from the GGUF file").isEqualTo("cc-by-nc-4.0");
            FallbackChain.Routed r = hearth.chat(QUICK);
            assertThat(r.answeredBy().id()).as("a quick request stays local under hybrid, but nc may not answer")
                    .isEqualTo("deepseek-flash");
            assertThat(r.decision().chain()).extracting(p -> p.id()).doesNotContain("nc");
            assertThatThrownBy(() -> hearth.chat(QUICK.withModel(hearth.use("nc"))))
                    .isInstanceOf(RouteRejectedException.class)
                    .hasMessageContaining("nc is under the licence cc-by-nc-4.0 (research)")
                    .hasMessageContaining("HEARTH_LICENSE_LEVEL=open-weights allows permissive and open-weights");
        }
    }

    @Test
    void theCatalogNamesALocalModelsLicence() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("tiny.gguf"));
        Path catalog = Files.writeString(dir.resolve("catalog.toml"), """
                default = "tiny"
                [[model]]
                name = "tiny"
                url = "https://example.invalid/tiny.gguf"
                sha256 = ""
                size = 0
                license = "Llama-3.2-Community"
                quant = "F32"
                context = 2048
                strengths = ["chat"]
                """);
        try (Hearth hearth = Hearth.fromEnvironment(CleanEnvironment.in(dir, "LLM_STRATEGY", "local_only",
                "LOCAL_MODEL_NAME", "tiny", "MODEL_CACHE_DIR", dir.toString(), "HEARTH_CATALOG", catalog.toString(),
                "HEARTH_LICENSE_LEVEL", "permissive"))) {
            var tiny = hearth.router().registry().find("tiny").orElseThrow();
            assertThat(hearth.router().licences().of(tiny)).isEqualTo("Llama-3.2-Community");
            assertThat(hearth.explain(QUICK).reason()).contains("local_only: no local model can take this request");
        }
    }

    @Test
    void aLockedSessionKeepsItsModelAcrossAutoTurnsUntilReleasedOrIdle() throws Exception {
        SyntheticModel.tiny().write(dir.resolve("tiny.gguf"));
        try (FakeAnthropicServer claude = new FakeAnthropicServer("ck");
             FakeOpenAiServer deepseek = new FakeOpenAiServer("dk", FakeOpenAiServer.Flavor.DEEPSEEK);
             Hearth hearth = hybrid(claude, deepseek)) {
            claude.defaultReply(FakeReply.text("from claude"));
            ManualClock clock = new ManualClock(Instant.parse("2026-11-30T12:00:00Z"));
            hearth.router().lockWith(new ModelLocks(clock, Duration.ofMinutes(30)));
            RouteOptions s1 = RouteOptions.defaults().withSession("s1");
            assertThat(hearth.chat(QUICK, s1).answeredBy().id()).isEqualTo("tiny");
            FallbackChain.Routed code = hearth.chat(CODE, s1);
            assertThat(code.answeredBy().id()).as("the lock taken by the first turn").isEqualTo("tiny");
            assertThat(code.decision().reason()).startsWith("session s1 is locked to tiny");
            assertThat(claude.received()).isEmpty();
            assertThat(hearth.chat(CODE).answeredBy().id()).as("no session, no lock").isEqualTo("claude-sonnet-4-6");

            assertThat(hearth.releaseLock("s1")).isTrue();
            assertThat(hearth.explain(CODE, s1).chain().getFirst().id()).isEqualTo("claude-sonnet-4-6");

            hearth.chat(QUICK, s1.withPreset("cheap")); // locks s1 to tiny again
            clock.advance(Duration.ofMinutes(29));
            assertThat(hearth.explain(CODE, s1).chain().getFirst().id()).isEqualTo("tiny");
            clock.advance(Duration.ofMinutes(1));
            assertThat(hearth.explain(CODE, s1).chain().getFirst().id()).as("idle for 30 minutes")
                    .isEqualTo("claude-sonnet-4-6");
        }
    }
}
