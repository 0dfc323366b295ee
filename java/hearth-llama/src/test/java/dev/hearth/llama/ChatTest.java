package dev.hearth.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.api.ChatMessage;
import dev.hearth.api.ChatSink;
import dev.hearth.api.ToolCall;
import dev.hearth.api.ToolChoice;
import dev.hearth.testkit.RecordingSink;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** model.chat / context.chat over llama.cpp's chat library, on the synthetic model. */
class ChatTest extends TinyModelTest {

    private static String template(String name) throws IOException {
        return Files.readString(ChatTemplatesTest.templates()
                .filter(p -> p.getFileName().toString().equals(name + ".jinja")).findFirst().orElseThrow());
    }

    @Test
    void theModelsOwnTemplateRendersTheConversation() {
        ChatTemplate.Rendered r = model.chatTemplate("").render(List.of(ChatMessage.system("S"), ChatMessage.user("U")),
                ChatOptions.defaults());
        assertThat(r.prompt()).isEqualTo("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n"
                + "<|im_start|>assistant\n");
    }

    @Test
    void aModelWithoutATemplateGetsLlamaCppsFallbackNotAnException() {
        var noTemplate = dev.hearth.testkit.SyntheticModel.tiny().withChatFormat(List.of(), "");
        try (LlamaModel bare = LlamaModel.load(TestModels.of(noTemplate), ModelParams.defaults())) {
            assertThat(bare.chatTemplateSource()).isEmpty();
            ChatResult r = bare.chat(List.of(ChatMessage.user("Hi")), ChatOptions.defaults()
                    .withGeneration(GenerationParams.defaults().withMaxTokens(5).withIgnoreEog(true)),
                    TestModels.context(), ChatSink.discard());
            assertThat(r.generation().generatedTokens()).isEqualTo(5);
            assertThat(bare.chatTemplate("").render(List.of(ChatMessage.user("Hi")), ChatOptions.defaults()).prompt())
                    .contains("Hi");
        }
    }

    @Test
    void streamedContentDeltasAddUpToTheAnswer() {
        StringBuilder content = new StringBuilder();
        ChatResult r;
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            // letters by grammar, so the answer has text whatever the weights are
            r = ctx.chat(List.of(ChatMessage.user("Tell me a story")), ChatOptions.defaults()
                    .withGeneration(GenerationParams.defaults().withMaxTokens(60).withSampling(SamplingParams.greedy())
                            .withGrammar(Grammar.gbnf("root ::= [a-z]{5,20}"))),
                    content::append);
        }
        assertThat(r.content()).isNotEmpty().isEqualTo(content.toString());
        assertThat(r.toolCalls()).isEmpty();
        assertThat(r.generation().generatedTokens()).isPositive();
    }

    @Test
    void reasoningIsSeparatedFromContentAndStreamedApart() throws IOException {
        // DeepSeek R1's format: text inside <think>...</think> is reasoning. Forced here by a grammar so the random
        // model writes the tags; the parser, not Hearth, splits them.
        String source = template("Qwen-Qwen3-0.6B");
        ChatOptions probe = ChatOptions.defaults().withReasoning(true).withTemplateOverride(source);
        String generationPrompt = model.chatTemplate(source).render(List.of(ChatMessage.user("Why?")), probe)
                .generationPrompt();
        String open = generationPrompt.endsWith("<think>\n") ? "" : "\"<think>\\n\" ";
        ChatOptions options = probe.withGeneration(GenerationParams.defaults().withMaxTokens(200)
                .withSampling(SamplingParams.greedy())
                .withGrammar(Grammar.gbnf("root ::= " + open + "[a-z]{3,20} \"\\n</think>\\n\\n\" [a-z]{3,20}")));
        RecordingSink streamed = new RecordingSink();
        ChatResult r;
        try (LlamaContext ctx = model.newContext(TestModels.context())) {
            r = ctx.chat(List.of(ChatMessage.user("Why?")), options, streamed);
        }
        assertThat(r.reasoning()).as(r.rawText()).isNotBlank().doesNotContain("<think>");
        assertThat(r.content()).doesNotContain("</think>").isNotBlank();
        assertThat(streamed.reasoning()).isEqualTo(r.reasoning());
        assertThat(streamed.content()).isEqualTo(r.content());
    }

    @Test
    void toolResultsAndEarlierCallsAreRenderedForTheNextTurn() throws IOException {
        ChatTemplate qwen = model.chatTemplate(template("Qwen-Qwen2.5-7B-Instruct"));
        ToolCall call = new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\",\"days\":2}");
        List<ChatMessage> conversation = List.of(ChatMessage.user("Weather in Paris?"),
                ChatMessage.assistant("", List.of(call)), ChatMessage.tool("call_1", "{\"temp\":21}"));
        String prompt = qwen.render(conversation, ChatOptions.defaults()
                .withTools(List.of(ChatTemplatesTest.WEATHER), ToolChoice.AUTO)).prompt();
        assertThat(prompt).contains("get_weather").contains("Paris").contains("{\"temp\":21}").contains("<tool_response>");
    }

    @Test
    void aToolCallInTheOutputIsParsedIntoAToolCall() throws IOException {
        ChatOptions options = ChatOptions.defaults().withTools(List.of(ChatTemplatesTest.WEATHER), ToolChoice.AUTO);
        ChatTemplate qwen = model.chatTemplate(template("Qwen-Qwen2.5-7B-Instruct"));
        ChatTemplate.Rendered r = qwen.render(List.of(ChatMessage.user("Weather?")), options);
        ChatTemplate.Parsed parsed = qwen.parse(r, "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", "
                + "\"arguments\": {\"city\": \"Oslo\", \"days\": 3}}\n</tool_call>", false);
        assertThat(parsed.toolCalls()).hasSize(1);
        assertThat(parsed.toolCalls().getFirst().name()).isEqualTo("get_weather");
        assertThat(parsed.toolCalls().getFirst().arguments()).contains("Oslo");
        assertThat(r.grammar().lazy()).isTrue();
    }

    @Test
    void badRequestsGetClearErrors() {
        assertThatThrownBy(() -> model.chatTemplate("").render(List.of(), ChatOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one message");
        assertThatThrownBy(() -> ChatOptions.defaults().withTools(List.of(), ToolChoice.REQUIRED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one tool");
        assertThatThrownBy(() -> model.chatTemplate("{% for x in %}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chat template");
    }

    @Test
    void inputsThatWouldOverflowTheNativeStackAreRefused() {
        // llama.cpp's Jinja and schema code recurse without a limit; a stack overflow there would end the JVM
        assertThatThrownBy(() -> model.chatTemplate("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}")
                .render(List.of(ChatMessage.user("x")), ChatOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("macro calls nest deeper than");
        String deep = "{\"type\":\"array\",\"items\":".repeat(40) + "{\"type\":\"integer\"}" + "}".repeat(40);
        assertThatThrownBy(() -> Grammar.jsonSchema(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested more than");
        assertThatThrownBy(() -> model.chatTemplate("").render(List.of(ChatMessage.user("x")), ChatOptions.defaults()
                .withTools(List.of(new dev.hearth.api.Tool("deep", "", deep)), ToolChoice.AUTO)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested more than");
    }

    @Test
    void aJsonSchemaConstrainsTheChatAnswer() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"answer\":{\"enum\":[\"yes\",\"no\"]}},"
                + "\"required\":[\"answer\"],\"additionalProperties\":false}";
        ChatResult r = model.chat(List.of(ChatMessage.user("Is it raining?")), ChatOptions.defaults()
                .withJsonSchema(schema).withGeneration(GenerationParams.defaults().withMaxTokens(400)),
                TestModels.context(), ChatSink.discard());
        assertThat(r.generation().finishReason()).as(r.rawText()).isNotEqualTo(FinishReason.MAX_TOKENS);
        assertThat(ChatTemplatesTest.validate(schema, r.content())).as(r.content()).isEmpty();
    }

    @Test
    void toolCallArgumentsWithRawControlCharactersComeBackAsStrictJson() throws IOException {
        String raw = "{\"city\": \"Pa\u0007ris\nX\", \"days\": 2}";
        String strict = ChatTemplate.strictJson(raw);
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(strict);
        assertThat(node.get("city").asText()).isEqualTo("Pa\u0007ris\nX");
        assertThat(node.get("days").asInt()).isEqualTo(2);
        assertThat(ChatTemplate.strictJson("{\"a\": 1}")).as("valid JSON is kept as generated").isEqualTo("{\"a\": 1}");
        assertThat(ChatTemplate.strictJson("{\"a\": \"cut of")).as("a cut-off call is kept").isEqualTo("{\"a\": \"cut of");
    }
}
