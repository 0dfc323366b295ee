package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presets laid over the strategy: fast, cheap, balanced reorder its candidates above the floor; reliable keeps them. */
class PresetsTest {
    static final ChatRequest CODE = TiersTest.CODE;
    static final ChatRequest QUICK = TiersTest.QUICK;

    @TempDir
    Path dir;

    static Router hybrid(String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("LLM_STRATEGY", "hybrid", "ANTHROPIC_API_KEY", "k",
                "DEEPSEEK_API_KEY", "k"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return Router.fromEnvironment(env);
    }

    static String first(RouteDecision d) {
        return TiersTest.model(d);
    }

    static RouteOptions preset(String name) {
        return RouteOptions.defaults().withPreset(name);
    }

    private static ModelProfile profile(Router r, String id) {
        return r.registry().find(id).orElseThrow();
    }

    @Test
    void fastTakesTheLowestMeasuredTimeToFirstTokenAmongTheModelsAboveTheFloor() {
        Router router = hybrid();
        Measurements speeds = new Measurements();
        speeds.record(profile(router, "claude-sonnet-4-6"), 900, 100, 2000);
        speeds.record(profile(router, "deepseek-flash"), 120, 100, 1000);
        speeds.record(profile(router, "deepseek-v4-pro"), 2000, 100, 4000);
        speeds.record(profile(router, "qwen2.5-0.5b-instruct"), 40, 100, 500); // fastest, but below the code floor
        router.measuredBy(speeds);
        assertThat(first(router.explain(CODE))).as("hybrid alone").isEqualTo("claude-sonnet-4-6");
        Steered fast = router.steer(CODE, preset("fast"));
        assertThat(first(fast.decision())).isEqualTo("deepseek-flash");
        assertThat(fast.preset()).isEqualTo(Preset.FAST);
        assertThat(fast.change()).contains("deepseek-flash goes first instead of claude-sonnet-4-6")
                .contains("120 ms, measured").contains("code quality floor of 0.70");
        assertThat(fast.decision().reason()).contains("preset fast:");
        assertThat(fast.decision().chain()).extracting(ModelProfile::id)
                .as("the model below the floor stays, as the last fallback").endsWith("qwen2.5-0.5b-instruct");

        speeds.record(profile(router, "deepseek-flash"), 5000, 100, 8000);
        speeds.record(profile(router, "deepseek-flash"), 5000, 100, 8000);
        assertThat(first(router.explain(CODE, preset("fast")))).as("new measurements move it")
                .isEqualTo("claude-sonnet-4-6");
        assertThat(first(router.explain(QUICK, preset("fast")))).as("the local model meets the quick floor")
                .isEqualTo("qwen2.5-0.5b-instruct");
    }

    @Test
    void cheapTakesTheLowestCostAboveTheFloorAndLocalFirst() {
        Router router = hybrid();
        Steered cheap = router.steer(CODE, preset("cheap"));
        assertThat(first(cheap.decision())).isEqualTo("deepseek-flash");
        assertThat(cheap.change()).contains("estimated cost").contains("is the lowest");
        Steered quick = router.steer(QUICK, preset("cheap"));
        assertThat(first(quick.decision())).isEqualTo("qwen2.5-0.5b-instruct");
        assertThat(quick.change()).contains("stays first: it is local, so it costs nothing");
    }

    @Test
    void balancedTakesTheMostQualityPerDollarAboveTheFloor() {
        Router router = hybrid();
        assertThat(first(router.explain(CODE, preset("balanced")))).isEqualTo("deepseek-flash");
        assertThat(router.steer(CODE, preset("balanced")).change()).contains("most quality per dollar");
    }

    @Test
    void reliableKeepsEveryCandidateAfterTheFilesShortChainAndWantsATournamentForCriticalClasses() throws Exception {
        Path toml = Files.writeString(dir.resolve("hearth.toml"), """
                strategy = "hybrid"
                [fallbacks]
                "claude-sonnet-4-6" = ["deepseek-flash"]
                """);
        Router router = Router.fromConfig(toml, Map.of("ANTHROPIC_API_KEY", "k", "DEEPSEEK_API_KEY", "k"));
        assertThat(router.explain(CODE).chain()).extracting(ModelProfile::id)
                .containsExactly("claude-sonnet-4-6", "deepseek-flash");
        Steered reliable = router.steer(CODE, preset("reliable"));
        assertThat(reliable.decision().chain()).extracting(ModelProfile::id).containsExactly("claude-sonnet-4-6",
                "deepseek-flash", "deepseek-v4-pro", "qwen2.5-0.5b-instruct");
        assertThat(reliable.change()).contains("2 more of the strategy's candidates").contains("validated, with a retry")
                .contains("tournament is wanted for code");
        assertThat(reliable.tournament()).isTrue();
        assertThat(router.steer(QUICK, preset("reliable")).tournament()).as("quick is not critical").isFalse();
        assertThat(router.steer(CODE, preset("fast")).tournament()).isFalse();
    }

    @Test
    void theConfiguredPresetAppliesUnlessTheRequestNamesAnotherAndANamedModelIsNotMoved() throws Exception {
        Router router = hybrid("HEARTH_PRESET", "cheap");
        assertThat(router.preset()).isEqualTo(Preset.CHEAP);
        assertThat(router.steer(CODE, RouteOptions.defaults()).preset()).isEqualTo(Preset.CHEAP);
        assertThat(first(router.explain(CODE))).isEqualTo("deepseek-flash");
        assertThat(router.steer(CODE, preset("reliable")).preset()).isEqualTo(Preset.RELIABLE);
        Steered named = router.steer(CODE.withModel("claude-sonnet-4-6"), preset("cheap"));
        assertThat(first(named.decision())).isEqualTo("claude-sonnet-4-6");
        assertThat(named.change()).contains("names its model, so the preset changes nothing");
        assertThat(hybrid().steer(CODE, RouteOptions.defaults()).preset()).as("no preset by default").isNull();

        Path toml = Files.writeString(dir.resolve("hearth.toml"), "preset = \"fast\"\n");
        assertThat(Router.fromConfig(toml, Map.of()).preset()).isEqualTo(Preset.FAST);
        Files.writeString(toml, "strategy = \"hybrid\"\npreset = \"quick\"\n");
        assertThatThrownBy(() -> Router.fromConfig(toml, Map.of())).hasMessageContaining("line 2")
                .hasMessageContaining("unknown preset \"quick\"").hasMessageContaining("[fast, cheap, reliable, balanced]");
    }

    @Test
    void anUnknownPresetFailsWithTheChoices() {
        assertThatThrownBy(() -> hybrid("HEARTH_PRESET", "turbo")).hasMessageContaining("HEARTH_PRESET must be one of"
                + " [fast, cheap, reliable, balanced], not \"turbo\"");
        assertThatThrownBy(() -> hybrid().explain(CODE, preset("turbo"))).hasMessageContaining("the preset must be one"
                + " of [fast, cheap, reliable, balanced]");
    }
}
