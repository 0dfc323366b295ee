package dev.hearth.llama;

import static dev.hearth.llama.ToolFamilies.TYPED;
import static dev.hearth.llama.ToolFamilies.TYPED_SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatSink;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.testkit.SyntheticModel;
import dev.hearth.testkit.TestSeeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every chat template that ships with the pinned llama.cpp source (models/templates, installed by
 * scripts/install-natives.sh, not copied into this repository) renders conversations and describes the tools it is
 * given; where the family has a tool-call format, synthetic models of several seeds make a forced call that parses
 * back into a valid ToolCall. The verdicts rest on what the grammar guarantees, not on what a random model happens
 * to write: the families whose grammar or parser lets a call go wrong are proven in {@link ToolCallGapsTest}.
 */
public class ChatTemplatesTest extends TinyModelTest {
    static final String WEATHER_SCHEMA = ToolFamilies.WEATHER_SCHEMA;
    public static final Tool WEATHER = ToolFamilies.WEATHER;
    public static final List<ChatMessage> CONVERSATION = List.of(ChatMessage.system("You are terse."),
            ChatMessage.user("Hello, who are you?"), ChatMessage.assistant("A model."),
            ChatMessage.user("What will the weather be in Paris?"));

    /** The synthetic models' seeds each forced call runs on (each varied by HEARTH_TEST_SEED); all must pass. */
    static final List<Long> MODEL_SEEDS = List.of(42L, 1L, 7L);

    /** Room for the prompt (up to ~3k tokens of the synthetic vocabulary) and the answer; one thread (2-core CI). */
    private static final ContextParams CONTEXT = TestModels.context().withContextSize(8192).withThreads(1);

    /**
     * Templates that describe no tools in the prompt, and why. The tool still reaches the model where the family has
     * a tool-call format: its name is in the grammar.
     */
    static final Map<String, String> TOOLS_NOT_DESCRIBED = Map.of(
            "HuggingFaceTB-SmolLM3-3B", "has no tool support (this edition of the template)",
            "deepseek-ai-DeepSeek-R1-Distill-Llama-8B", "renders tool calls and results, not tool descriptions",
            "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B", "renders tool calls and results, not tool descriptions",
            "deepseek-ai-DeepSeek-V3.1", "renders tool calls and results, not tool descriptions",
            "fireworks-ai-llama-3-firefunction-v2",
            "reads its tools from a `functions` string, which llama.cpp does not set",
            "google-gemma-2-2b-it", "has no tool support",
            "llama-cpp-rwkv-world", "has no tool support",
            "microsoft-Phi-3.5-mini-instruct", "has no tool support");

    public static Stream<Path> templates() throws IOException {
        return ToolFamilies.templates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void rendersAConversationAndOneWithTools(Path file) throws IOException {
        ChatTemplate template = model.chatTemplate(Files.readString(file));
        ChatTemplate.Rendered plain = template.render(CONVERSATION, ChatOptions.defaults());
        assertThat(plain.prompt()).contains("What will the weather be in Paris?");
        ChatOptions withTools = ChatOptions.defaults().withTools(List.of(WEATHER), ToolChoice.AUTO);
        String prompt = template.render(CONVERSATION, withTools).prompt();
        assertThat(prompt).contains("What will the weather be in Paris?");
        String family = ToolFamilies.name(file);
        if (TOOLS_NOT_DESCRIBED.containsKey(family)) {
            assertThat(prompt).as("%s %s; if it now describes tools, drop it from TOOLS_NOT_DESCRIBED", family,
                    TOOLS_NOT_DESCRIBED.get(family)).doesNotContain(WEATHER.name(), WEATHER.description());
        } else {
            assertThat(prompt).as("the tool's name and description reach the prompt")
                    .contains(WEATHER.name(), WEATHER.description());
        }
    }

    static Stream<String> typedFamilies() throws IOException {
        return ToolFamilies.toolFormatFamilies().stream().filter(f -> !ToolCallGapsTest.GAPS.containsKey(f));
    }

    static Stream<String> stringFamilies() throws IOException {
        return typedFamilies().filter(f -> !ToolCallGapsTest.RAW_STRING_CALLS.containsKey(f));
    }

    @Test
    void theKnownGapsAreAllToolCallFamilies() throws IOException {
        assertThat(ToolFamilies.toolFormatFamilies()).hasSizeGreaterThan(50)
                .containsAll(ToolCallGapsTest.GAPS.keySet()).containsAll(ToolCallGapsTest.RAW_STRING_CALLS.keySet());
        assertThat(typedFamilies().count()).as("families tested with a forced typed call").isGreaterThanOrEqualTo(40);
        assertThat(stringFamilies().count()).as("families tested with a forced string call").isGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typedFamilies")
    void aForcedToolCallParsesIntoAValidToolCall(String family) throws IOException {
        for (long seed : MODEL_SEEDS) {
            assertValidCall(family, TYPED, TYPED_SCHEMA, seed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stringFamilies")
    void aForcedCallWithABoundedStringArgumentIsValid(String family) throws IOException {
        for (long seed : MODEL_SEEDS) {
            assertValidCall(family, WEATHER, WEATHER_SCHEMA, seed);
        }
    }

    /** A forced call on a synthetic model of {@code seed} with the family's markers as control tokens. */
    private static void assertValidCall(String family, Tool tool, String schema, long seed) throws IOException {
        SyntheticModel synthetic = ToolFamilies.model(family, SyntheticModel.tiny().withSeed(TestSeeds.vary(seed)));
        ChatResult result;
        try (LlamaModel m = LlamaModel.load(TestModels.of(synthetic), ModelParams.defaults())) {
            result = m.chat(CONVERSATION, ToolFamilies.forced(tool), CONTEXT, ChatSink.discard());
        }
        String why = family + " on model seed " + synthetic.seed() + ", " + result.generation().generatedTokens()
                + " tokens (" + result.generation().finishReason() + "), raw output: " + result.rawText();
        assertThat(result.toolCalls()).as(why).isNotEmpty();
        ToolCall call = result.toolCalls().getFirst();
        assertThat(call.name()).as(why).isEqualTo("get_weather");
        assertThat(ToolCallGapsTest.violations(schema, call.arguments(), why)).as(why).isEmpty();
    }

    static Set<?> validate(String schema, String json) throws IOException {
        JsonSchema s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        JsonNode node = new ObjectMapper().readTree(json);
        return s.validate(node);
    }
}
