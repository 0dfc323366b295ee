package dev.hearth.llama.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatRequest;
import dev.hearth.api.StopReason;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolChoice;
import dev.hearth.llama.ChatOptions;
import dev.hearth.llama.FinishReason;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The edge between Hearth's vocabulary and llama's, without a model: what a request becomes, and a finish reason. */
class LlamaChatBackendTest {
    private static final Tool WEATHER = new Tool("get_weather", "the weather in a city", null);
    private static final Tool TIME = new Tool("get_time", "the time in a city", null);
    private static final ChatRequest ASK = ChatRequest.of("local", List.of(ChatMessage.user("Weather in Oslo?")));

    @Test
    void everyFinishReasonHasOneStopReasonAndAnAnswerWithToolCallsStoppedForThem() {
        Map<FinishReason, StopReason> expected = new EnumMap<>(Map.of(
                FinishReason.END_OF_GENERATION, StopReason.END_TURN,
                FinishReason.STOP_SEQUENCE, StopReason.STOP_SEQUENCE,
                FinishReason.MAX_TOKENS, StopReason.MAX_TOKENS,
                FinishReason.CONTEXT_FULL, StopReason.MAX_TOKENS,
                FinishReason.CANCELLED, StopReason.CANCELLED,
                FinishReason.DEADLINE, StopReason.CANCELLED,
                FinishReason.NESTING_LIMIT, StopReason.OTHER));
        assertThat(expected.keySet()).as("a new finish reason needs its stop reason here")
                .containsExactlyInAnyOrder(FinishReason.values());
        for (FinishReason reason : FinishReason.values()) {
            assertThat(LlamaChatBackend.stopReason(reason, false)).as("%s", reason).isEqualTo(expected.get(reason));
            assertThat(LlamaChatBackend.stopReason(reason, true)).as("%s with tool calls", reason)
                    .isEqualTo(StopReason.TOOL_USE);
        }
    }

    @Test
    void aRequestsToolChoiceReachesTheOptionsAsHearthsOwnType() {
        for (ToolChoice choice : List.of(ToolChoice.AUTO, ToolChoice.NONE, ToolChoice.REQUIRED)) {
            ChatOptions o = LlamaChatBackend.options(ASK.withTools(List.of(WEATHER, TIME), choice));
            assertThat(o.toolChoice()).isEqualTo(choice);
            assertThat(o.tools()).containsExactly(WEATHER, TIME);
        }
        ChatOptions none = LlamaChatBackend.options(ASK.withTools(List.of(), ToolChoice.REQUIRED));
        assertThat(none.tools()).as("without tools the choice has nothing to choose from").isEmpty();
        assertThat(none.toolChoice()).isEqualTo(ToolChoice.AUTO);
    }

    @Test
    void aNamedToolChoiceBecomesThatToolAloneRequiredAndAnUnknownNameIsRefused() {
        ChatRequest request = ASK.withTools(List.of(WEATHER, TIME), ToolChoice.named("get_time"));
        ChatOptions named = LlamaChatBackend.options(request);
        assertThat(named.tools()).containsExactly(TIME);
        assertThat(named.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
        ChatOptions direct = ChatOptions.defaults().withTools(List.of(WEATHER, TIME), ToolChoice.named("get_time"));
        assertThat(direct.tools()).as("the same for callers of the llama API").containsExactly(TIME);
        assertThat(direct.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
        assertThatThrownBy(() -> LlamaChatBackend.options(ASK.withTools(List.of(WEATHER), ToolChoice.named("book"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names book")
                .hasMessageContaining("not among the tools");
    }

    @Test
    void aRequestsSeedSeedsTheRandomDrawFoldedIntoLlamasRange() {
        assertThat(LlamaChatBackend.options(ASK.withTemperature(1.0).withSeed(42L)).generation().sampling().seed())
                .isEqualTo(42L);
        assertThat(LlamaChatBackend.options(ASK.withSeed(-1L)).generation().sampling().seed())
                .as("4294967295 would ask llama for a random seed").isEqualTo(4294967294L);
        assertThat(LlamaChatBackend.options(ASK.withSeed(4294967295L)).generation().sampling().seed()).isZero();
        assertThat(LlamaChatBackend.options(ASK).generation().sampling().seed())
                .isEqualTo(dev.hearth.llama.SamplingParams.defaults().seed());
    }

    @Test
    void aRequestsSpeculationWinsOverTheModelsAndNoneLeavesTheModelsOwn() {
        var lookup = dev.hearth.api.SpeculationSetting.parse("prompt-lookup:5");
        var modelDefault = dev.hearth.llama.Speculation.draftModel(8);
        assertThat(LlamaChatBackend.options(ASK.withSpeculation(lookup), modelDefault).generation().speculation())
                .isEqualTo(dev.hearth.llama.Speculation.promptLookup(5));
        assertThat(LlamaChatBackend.options(ASK, modelDefault).generation().speculation()).isEqualTo(modelDefault);
        assertThat(LlamaChatBackend.options(ASK).generation().speculation())
                .isEqualTo(dev.hearth.llama.GenerationParams.defaults().speculation());
    }
}
