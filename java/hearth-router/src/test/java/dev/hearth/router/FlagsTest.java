package dev.hearth.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On/off settings read one way everywhere: the usual spellings, or a refusal that names the variable. */
class FlagsTest {
    static final List<String> ON = List.of("true", "TRUE", "1", "yes", "Yes", "on", " ON ");
    static final List<String> OFF = List.of("false", "False", "0", "no", "NO", "off", " Off ");

    @Test
    void hearthAllowExternalTakesTheUsualSpellings() {
        for (String on : ON) {
            assertThat(RouterConfig.fromEnvironment(Map.of("LLM_STRATEGY", "local_only", "HEARTH_ALLOW_EXTERNAL", on))
                    .allowExternal()).as(on).isTrue();
        }
        for (String off : OFF) {
            assertThat(RouterConfig.fromEnvironment(Map.of("LLM_STRATEGY", "hybrid", "ANTHROPIC_API_KEY", "k",
                    "HEARTH_ALLOW_EXTERNAL", off)).allowExternal()).as(off).isFalse();
        }
    }

    @Test
    void localLlmEnabledAndHearthPreferLocalTakeTheUsualSpellings() {
        for (String off : OFF) {
            ModelRegistry registry = ModelRegistry.fromEnvironment(Map.of("LOCAL_LLM_ENABLED", off));
            assertThat(registry.available(true)).as(off).isEmpty();
            assertThat(RouterConfig.fromEnvironment(Map.of("HEARTH_PREFER_LOCAL", off)).preferLocal()).as(off).isFalse();
        }
        for (String on : ON) {
            assertThat(ModelRegistry.fromEnvironment(Map.of("LOCAL_LLM_ENABLED", on)).available(true)).as(on)
                    .isNotEmpty();
            assertThat(RouterConfig.fromEnvironment(Map.of("HEARTH_PREFER_LOCAL", on)).preferLocal()).as(on).isTrue();
        }
    }

    @Test
    void anythingElseIsRefusedNamingTheVariable() {
        for (String name : List.of("HEARTH_ALLOW_EXTERNAL", "HEARTH_PREFER_LOCAL")) {
            assertThatThrownBy(() -> RouterConfig.fromEnvironment(Map.of(name, "maybe")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name + " must be true or false")
                    .hasMessageContaining("yes/no").hasMessageContaining("\"maybe\"");
        }
        assertThatThrownBy(() -> ModelRegistry.fromEnvironment(Map.of("LOCAL_LLM_ENABLED", "enabled")))
                .hasMessageContaining("LOCAL_LLM_ENABLED must be true or false");
    }
}
