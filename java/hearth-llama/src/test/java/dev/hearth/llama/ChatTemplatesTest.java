package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.hearth.api.ChatMessage;
import dev.hearth.api.Tool;
import dev.hearth.api.ToolCall;
import dev.hearth.llama.ffi.NativeLibraries;
import dev.hearth.testkit.SyntheticModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every chat template that ships with the pinned llama.cpp source (models/templates, installed by
 * scripts/install-natives.sh, not copied into this repository) renders conversations and, where the family has a
 * tool-call format, makes the synthetic model produce a call that parses back into a valid ToolCall.
 */
class ChatTemplatesTest extends TinyModelTest {
    static final String WEATHER_SCHEMA = """
            {"type": "object",
             "properties": {"city": {"type": "string", "maxLength": 12},
                            "days": {"type": "integer", "minimum": 1, "maximum": 7}},
             "required": ["city", "days"], "additionalProperties": false}""";
    static final Tool WEATHER = new Tool("get_weather", "Weather forecast for a city", WEATHER_SCHEMA);
    static final List<ChatMessage> CONVERSATION = List.of(ChatMessage.system("You are terse."),
            ChatMessage.user("Hello, who are you?"), ChatMessage.assistant("A model."),
            ChatMessage.user("What will the weather be in Paris?"));


    static Stream<Path> templates() throws IOException {
        Path dir = NativeLibraries.hearthHome().resolve("llama.cpp").resolve(NativeLibraries.LLAMA_CPP_RELEASE)
                .resolve("src").resolve("models").resolve("templates");
        assertThat(dir).as("installed by scripts/install-natives.sh").isDirectory();
        List<Path> files = Files.list(dir).filter(p -> p.toString().endsWith(".jinja")).sorted().toList();
        assertThat(files).hasSizeGreaterThan(60);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void rendersAConversationAndOneWithTools(Path file) throws IOException {
        String source = Files.readString(file);
        ChatTemplate template = model.chatTemplate(source);
        ChatTemplate.Rendered plain = template.render(CONVERSATION, ChatOptions.defaults());
        assertThat(plain.prompt()).contains("What will the weather be in Paris?");
        ChatOptions withTools = ChatOptions.defaults().withTools(List.of(WEATHER), ToolChoice.AUTO);
        ChatTemplate.Rendered tools = template.render(CONVERSATION, withTools);
        assertThat(tools.prompt()).contains("What will the weather be in Paris?");
    }

    /**
     * Families whose forced tool call the random-weight model completes (see the closing note for the
     * others: upstream grammars that leave arguments unconstrained, or whose generation prompt the grammar does
     * not accept with thinking off). Each runs on a synthetic model of its own whose vocabulary has the family's
     * markers as single control tokens, as real vocabularies do.
     */
    static Stream<String> toolCallFamilies() {
        return Stream.of("Apertus-8B-Instruct", "Bielik-11B-v3.0-Instruct",
                "GigaChat3-10B-A1.8B", "GigaChat3.1-10B-A1.8B", "MiMo-VL", "MiniMax-M1",
                "Mistral-Small-3.2-24B-Instruct-2506", "NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use",
                "NousResearch-Hermes-3-Llama-3.1-8B-tool_use", "Qwen-Qwen2.5-7B-Instruct", "Reka-Edge",
                "fireworks-ai-llama-3-firefunction-v2", "ibm-granite-granite-4.0", "ibm-granite-granite-4.1",
                "meetkai-functionary-medium-v3.1", "meta-llama-Llama-3.1-8B-Instruct",
                "meta-llama-Llama-3.2-3B-Instruct", "meta-llama-Llama-3.3-70B-Instruct",
                "mistralai-Ministral-3-14B-Reasoning-2512", "mistralai-Mistral-Nemo-Instruct-2407",
                "unsloth-Apriel-1.5", "unsloth-mistral-Devstral-Small-2507", "upstage-Solar-Open-100B",
                "Qwen-Qwen3-0.6B", "Qwen-QwQ-32B", "deepseek-ai-DeepSeek-V3.1", "llama-cpp-deepseek-r1",
                "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B", "NVIDIA-Nemotron-Nano-v2", "Apriel-1.6-15b-Thinker-fixed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolCallFamilies")
    void aForcedToolCallParsesIntoAValidToolCall(String family) throws Exception {
        Path file = templates().filter(p -> p.getFileName().toString().equals(family + ".jinja")).findFirst()
                .orElseThrow();
        String source = Files.readString(file);
        ChatOptions options = ChatOptions.defaults().withTools(List.of(WEATHER), ToolChoice.REQUIRED)
                .withReasoning(false)
                .withGeneration(GenerationParams.defaults().withMaxTokens(200).withSampling(SamplingParams.greedy()));
        ChatTemplate.Rendered probe = model.chatTemplate(source).render(CONVERSATION, options);
        assertThat(probe.grammar().isNone()).as("%s has a tool-call grammar", family).isFalse();
        SyntheticModel familyModel = SyntheticModel.tiny().withChatFormat(markers(probe), source);
        ChatResult result;
        try (LlamaModel m = LlamaModel.load(TestModels.of(familyModel), ModelParams.defaults());
             LlamaContext ctx = m.newContext(TestModels.context().withContextSize(8192))) {
            result = ctx.chat(CONVERSATION, options, dev.hearth.api.ChatSink.discard());
        }
        assertThat(result.toolCalls()).as("raw output: %s", result.rawText()).isNotEmpty();
        ToolCall call = result.toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(validate(WEATHER_SCHEMA, call.arguments())).as(call.arguments()).isEmpty();
    }

    private static final java.util.regex.Pattern GBNF_STRING = java.util.regex.Pattern.compile("\"(\\\\.|[^\"\\\\])*\"");
    private static final java.util.regex.Pattern GBNF_TOKEN = java.util.regex.Pattern.compile("<[^\\s<>\\[\\]]+>");

    /** The format's special tokens: those llama.cpp preserves, and the token references in its grammar. */
    static List<String> markers(ChatTemplate.Rendered rendered) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>(rendered.preservedTokens());
        var m = GBNF_TOKEN.matcher(GBNF_STRING.matcher(rendered.grammar().gbnf()).replaceAll(" "));
        while (m.find()) {
            out.add(m.group());
        }
        return List.copyOf(out);
    }

    static java.util.Set<?> validate(String schema, String json) throws IOException {
        JsonSchema s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        JsonNode node = new ObjectMapper().readTree(json);
        return s.validate(node);
    }
}
