package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Licence rules: a forbidden licence is never chosen, and a named model under one is refused with the rule. */
class LicencesTest {
    @TempDir
    Path dir;

    private Router router(String... env) throws Exception {
        Path toml = Files.writeString(dir.resolve("hearth.toml"), """
                strategy = "local_only"
                [[model]]
                id = "nc-local"
                provider = "local"
                local = true
                quality = 0.95
                strengths = ["quick_response", "general"]
                license = "CC-BY-NC-4.0"
                [[model]]
                id = "mit-local"
                provider = "local"
                local = true
                quality = 0.4
                strengths = ["quick_response", "general"]
                license = "MIT"
                """);
        Map<String, String> vars = new HashMap<>(Map.of("ANTHROPIC_API_KEY", "k"));
        for (int i = 0; i < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        return Router.fromConfig(toml, vars);
    }

    @Test
    void oneTableClassifiesLicencesFromPermissiveToUnknown() {
        assertThat(LicenceClass.of("Apache-2.0")).isEqualTo(LicenceClass.PERMISSIVE);
        assertThat(LicenceClass.of("mit")).isEqualTo(LicenceClass.PERMISSIVE);
        assertThat(LicenceClass.of("Llama-3.2-Community")).isEqualTo(LicenceClass.OPEN_WEIGHTS);
        assertThat(LicenceClass.of("gemma")).isEqualTo(LicenceClass.OPEN_WEIGHTS);
        assertThat(LicenceClass.of("proprietary-api")).isEqualTo(LicenceClass.OPEN_WEIGHTS);
        assertThat(LicenceClass.of("CC BY-NC 4.0")).isEqualTo(LicenceClass.RESEARCH);
        assertThat(LicenceClass.of("qwen-research")).as("before the Qwen family's open licence")
                .isEqualTo(LicenceClass.RESEARCH);
        assertThat(LicenceClass.of("other")).isEqualTo(LicenceClass.UNKNOWN);
        assertThat(LicenceClass.of(null)).isEqualTo(LicenceClass.UNKNOWN);
    }

    @Test
    void aForbiddenLicenceIsNeverChosen() throws Exception {
        assertThat(TiersTest.model(router().explain(TiersTest.QUICK))).as("no rule").isEqualTo("nc-local");
        Router permissive = router("HEARTH_LICENSE_LEVEL", "permissive");
        RouteDecision d = permissive.explain(TiersTest.QUICK);
        assertThat(d.chain()).extracting(ModelProfile::id).contains("mit-local").doesNotContain("nc-local");
        assertThat(router("HEARTH_LICENSE_LEVEL", "research").explain(TiersTest.QUICK).chain())
                .extracting(ModelProfile::id).contains("nc-local", "mit-local")
                .as("the default local model's licence is unknown here").doesNotContain("qwen2.5-0.5b-instruct");
        assertThat(router("HEARTH_ALLOWED_LICENSES", "cc-by-nc-4.0").explain(TiersTest.QUICK).chain())
                .extracting(ModelProfile::id).containsExactly("nc-local");
        assertThat(router("HEARTH_ALLOWED_LICENSES", "gpl-3.0").explain(TiersTest.QUICK))
                .isInstanceOf(RouteDecision.Reject.class);
    }

    @Test
    void aRouterMadeOverTheSameRegistryForOneQuestionKeepsTheRule() throws Exception {
        Router live = router("HEARTH_LICENSE_LEVEL", "permissive");
        Router tier = new Router(live.registry(), r -> live.explain(TiersTest.QUICK).classification(),
                Policies.named("premium"), live.config(), live.file());
        assertThat(tier.explain(TiersTest.QUICK).chain()).extracting(ModelProfile::id).containsExactly("mit-local");
        assertThat(live.explain(TiersTest.QUICK).chain()).extracting(ModelProfile::id).containsExactly("mit-local");
    }

    @Test
    void aNamedModelUnderAForbiddenLicenceIsRefusedWithTheLicenceAndTheRule() throws Exception {
        Router permissive = router("HEARTH_LICENSE_LEVEL", "permissive", "HEARTH_ALLOW_EXTERNAL", "true");
        assertThat(permissive.explain(TiersTest.QUICK.withModel("nc-local"))).isInstanceOfSatisfying(
                RouteDecision.Reject.class, r -> assertThat(r.reason()).contains("nc-local is under the licence"
                        + " CC-BY-NC-4.0 (research)").contains("HEARTH_LICENSE_LEVEL=permissive allows permissive"
                        + " licences only"));
        assertThat(permissive.explain(TiersTest.QUICK.withModel("claude-sonnet-4-6"))).as("a vendor's model")
                .isInstanceOfSatisfying(RouteDecision.Reject.class, r -> assertThat(r.reason())
                        .contains("under the licence proprietary-api (open-weights)"));
        assertThat(router("HEARTH_LICENSE_LEVEL", "open-weights", "HEARTH_ALLOW_EXTERNAL", "true")
                .explain(TiersTest.QUICK.withModel("claude-sonnet-4-6"))).isInstanceOf(RouteDecision.Remote.class);
        assertThat(router("HEARTH_ALLOWED_LICENSES", "mit").explain(TiersTest.QUICK.withModel("nc-local")))
                .isInstanceOfSatisfying(RouteDecision.Reject.class, r -> assertThat(r.reason())
                        .contains("HEARTH_ALLOWED_LICENSES allows [mit]"));
    }

    @Test
    void theFilesLicenceSettingsAreCheckedAndABadLevelFailsWithTheChoices() throws Exception {
        Path toml = Files.writeString(dir.resolve("bad.toml"), "license_level = \"open\"\n");
        assertThatThrownBy(() -> Router.fromConfig(toml, Map.of())).hasMessageContaining("line 1")
                .hasMessageContaining("unknown license_level \"open\"");
        Files.writeString(toml, "license_level = \"permissive\"\n");
        assertThat(Router.fromConfig(toml, Map.of()).licencePolicy().level()).isEqualTo(LicenceClass.PERMISSIVE);
        assertThatThrownBy(() -> LicencePolicy.fromEnvironment(Map.of("HEARTH_LICENSE_LEVEL", "open")))
                .hasMessageContaining("permissive, open-weights, research or any");
        assertThat(new ModelLicences(Map.of()).of(TiersTest.router("hybrid").registry().find("deepseek-flash")
                .orElseThrow())).isEqualTo("proprietary-api");
    }
}
