package dev.hearth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one reading of a speculation setting's text, for requests and for hearth.toml. */
class SpeculationSettingTest {
    @Test
    void readsEachWayWithAndWithoutItsDraftLengthAndWritesItBack() {
        assertThat(SpeculationSetting.parse("off")).isEqualTo(new SpeculationSetting(SpeculationSetting.Mode.OFF, 8));
        assertThat(SpeculationSetting.parse(" Auto ").mode()).isEqualTo(SpeculationSetting.Mode.AUTO);
        assertThat(SpeculationSetting.parse("prompt_lookup")).isEqualTo(new SpeculationSetting(
                SpeculationSetting.Mode.PROMPT_LOOKUP, 8));
        assertThat(SpeculationSetting.parse("draft-model:5")).isEqualTo(new SpeculationSetting(
                SpeculationSetting.Mode.DRAFT_MODEL, 5));
        for (String text : List.of("off", "auto", "prompt-lookup:8", "draft-model:32")) {
            assertThat(SpeculationSetting.parse(text)).hasToString(text);
        }
    }

    @Test
    void aTextItDoesNotKnowIsRefusedSayingWhatItTakes() {
        for (String bad : List.of("fast", "prompt-lookup:0", "draft-model:33", "prompt-lookup:x", "auto:4", "")) {
            assertThatThrownBy(() -> SpeculationSetting.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("use off, auto, prompt-lookup, prompt-lookup:N, draft-model or"
                            + " draft-model:N");
        }
    }

    @Test
    void aRequestKeepsItsSettingThroughItsOtherChangesAndLeavesItToTheModelByDefault() {
        ChatRequest r = ChatRequest.of("m", List.of(ChatMessage.user("hi")));
        assertThat(r.speculation()).isNull();
        SpeculationSetting lookup = SpeculationSetting.parse("prompt-lookup:4");
        assertThat(r.withSpeculation(lookup).withModel("n").withMaxTokens(9).withSeed(1L).speculation())
                .isEqualTo(lookup);
    }
}
